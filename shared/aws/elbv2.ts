import { ElasticLoadBalancingV2Client, paginateDescribeLoadBalancers } from '@aws-sdk/client-elastic-load-balancing-v2';
import { lazyClient } from './client.ts';

export const elbv2Client = lazyClient('ElasticLoadBalancingV2', (config) => new ElasticLoadBalancingV2Client(config));

/** DescribeLoadBalancers returns at most 400 per page. */
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
