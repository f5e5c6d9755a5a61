/**
 * The platform's input, resolved: sites, their node groups, fabric, WAN access and cost model,
 * every quantity in SI. Composed into a Scenario by src/scenario/resolve.ts; built into nodes
 * and links by platform.ts.
 */
import type { GpuSpec } from '../compute/gpu';
// SiteKind has one source, the data layer's site-kind table (issue 13).
import type { SiteKind } from '../compute/catalog';

export type { SiteKind };

export interface Topology {
  readonly sites: readonly SiteSpec[];
  readonly wan: WanSpec;
}

export interface SiteSpec {
  readonly name: string;
  readonly kind: SiteKind;
  /** Region name in the measured WAN matrix, if any. */
  readonly region: string | null;
  readonly nodes: readonly NodeGroupSpec[];
  /** Node-to-node fabric inside the site. */
  readonly fabric: { readonly latencyS: number; readonly oversubscription: number };
  /** The site's access link to the WAN, per direction. */
  readonly wan: { readonly uplinkBytesPerS: number; readonly downlinkBytesPerS: number; readonly latencyS: number };
  readonly pue: number;
  readonly electricityUsdPerJ: number;
  readonly cost: SiteCostSpec;
}

/** What the operators of a site pay for. */
export interface SiteCostSpec {
  /** rental: the GPU rental price, which covers power, hosting and hardware; owned: each paid apart. */
  readonly model: 'rental' | 'owned';
  /** Wall power per watt of GPU TDP (host, fans, PSU losses), before PUE. */
  readonly wallPerTdp: number;
  /** Colocation per watt of wall power per second (owned sites; 0 = none). */
  readonly hostingUsdPerWS: number;
  /** Straight-line depreciation life of owned hardware. */
  readonly depreciationS: number;
}

export interface NodeGroupSpec {
  readonly gpu: GpuSpec;
  readonly count: number;
  readonly gpusPerNode: number;
  /** GPU-to-GPU link inside a node, per GPU per direction. */
  readonly intraNode: { readonly bandwidthBytesPerS: number; readonly latencyS: number };
  /** Node network interface to the site fabric, per direction (all GPUs of the node together). */
  readonly nicBytesPerS: number;
  readonly rentalUsdPerGpuS: number;
  /** All-in capital cost per GPU (its server share included), depreciated at owned sites. */
  readonly capexUsdPerGpu: number;
  /** Mean time between failures of one node (GPU failures of all its GPUs plus host causes). */
  readonly nodeMtbfS: number;
  /** Compute slowdown factor (1 = nominal; 1.5 = 50 % slower), e.g. thermal throttling or shared hosts. */
  readonly slowdown: number;
  /** When these nodes join (timeline `add`); absent or 0 = from the start. */
  readonly joinAtS?: number;
}

export interface WanSpec {
  /** Use the measured region-to-region matrix for sites that name a region. */
  readonly matrix: boolean;
  /** Latency added between sites without a matrix entry, one way, on top of both access latencies. */
  readonly backboneLatencyS: number;
  /** Per-stream TCP window; each flow is capped at streams × window / RTT. null = no cap. */
  readonly tcpWindowBytes: number | null;
  readonly streams: number;
}
