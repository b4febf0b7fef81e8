import { EC2ServiceException } from '@aws-sdk/client-ec2';

/** An error as the EC2 client throws it: `name` is the AWS error code, 5xx is a server fault. */
export function awsError(name: string, status = 400) {
  return new EC2ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: `${name} happened` });
}

/** An inbound HTTPS rule from a CIDR. */
export const httpsRule = (cidr: string) => ({ direction: 'ingress' as const, protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: cidr });
