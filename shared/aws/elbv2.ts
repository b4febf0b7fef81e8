import { ElasticLoadBalancingV2Client, paginateDescribeLoadBalancers, paginateDescribeTargetGroups } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { TargetGroupState } from '../types/index.ts';
import { lazyClient } from './client.ts';

export const elbv2Client = lazyClient('ElasticLoadBalancingV2', (config) => new ElasticLoadBalancingV2Client(config));

/** DescribeLoadBalancers and DescribeTargetGroups return at most 400 per page. */
export const LOAD_BALANCER_PAGE_SIZE = 400;

export interface LoadBalancerListing {
  /** Names of every ELBv2 load balancer in the region (NLBs, ALBs, gateway LBs). */
  names: string[];
  pages: number;
}

/**
 * Every load balancer of the region, page by page: the calls grow with pages, not with the rules or
 * names we want to test. (A batched describe by names fails whole with `LoadBalancerNotFound` when one
 * name is missing, which says nothing about the others.) Errors propagate: the caller fails closed.
 */
export async function listLoadBalancerNames(pageSize = LOAD_BALANCER_PAGE_SIZE): Promise<LoadBalancerListing> {
  const names: string[] = [];
  let pages = 0;
  for await (const page of paginateDescribeLoadBalancers({ client: elbv2Client() }, { PageSize: pageSize })) {
    pages++;
    for (const lb of page.LoadBalancers ?? []) if (lb.LoadBalancerName) names.push(lb.LoadBalancerName);
  }
  return { names, pages };
}

export interface TargetGroupListing {
  targetGroups: TargetGroupState[];
  pages: number;
}

/**
 * Every target group of the region, page by page (no filter: one listing serves every group and
 * cluster). Its ports are what live load balancers send traffic and health checks to. Errors propagate.
 */
export async function listTargetGroups(pageSize = LOAD_BALANCER_PAGE_SIZE): Promise<TargetGroupListing> {
  const targetGroups: TargetGroupState[] = [];
  let pages = 0;
  for await (const page of paginateDescribeTargetGroups({ client: elbv2Client() }, { PageSize: pageSize })) {
    pages++;
    for (const tg of page.TargetGroups ?? []) {
      targetGroups.push({
        name: tg.TargetGroupName ?? tg.TargetGroupArn ?? 'unnamed',
        ...(tg.Protocol ? { protocol: tg.Protocol } : {}),
        ...(tg.Port !== undefined ? { port: tg.Port } : {}),
        ...(tg.HealthCheckPort ? { healthCheckPort: tg.HealthCheckPort } : {}),
        ...(tg.TargetType ? { targetType: tg.TargetType } : {}),
        loadBalancerArns: tg.LoadBalancerArns ?? [],
      });
    }
  }
  return { targetGroups, pages };
}
