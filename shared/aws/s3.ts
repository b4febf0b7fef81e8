import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { lazyClient } from './client.ts';

/** Our own bucket (reports, fan-out partials): always our account and region. */
export const s3Client = lazyClient('S3', (config) => new S3Client(config));

/** Writes one object (reports, fan-out partials) with SSE-S3; returns its s3:// URL. */
export async function putObject(bucket: string, key: string, body: string, contentType: string): Promise<string> {
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ServerSideEncryption: 'AES256' }));
  return `s3://${bucket}/${key}`;
}

/** Whether the bucket exists and these credentials may use it (HeadBucket: 200, or 404/403 as an error). */
export async function headBucket(bucket: string): Promise<void> {
  await s3Client().send(new HeadBucketCommand({ Bucket: bucket }));
}

export async function getObjectText(bucket: string, key: string): Promise<string> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString('utf8')) ?? '';
}

/** `s3://bucket/some/prefix` → { bucket, prefix } (prefix without trailing slash). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url.trim());
  if (!m) throw new Error(`not an s3:// URL: ${url}`);
  return { bucket: m[1]!, prefix: (m[2] ?? '').replace(/\/+$/, '') };
}
