/**
 * Shapes shared by the HTML report's loader, its pure chart-data transforms, the page builder
 * and the browser bundle. The summary types mirror summary.json schema 2 as read from disk:
 * fields that later versions add (per-site breakdowns, the communication split) are optional,
 * so a report built from older or newer results degrades instead of failing.
 */

export interface Breakdown {
  readonly computeS: number;
  readonly communicationS: number;
  readonly bubbleS: number;
  readonly idleS: number;
  readonly lostWorkS: number;
  readonly restartS: number;
  readonly checkpointS: number;
  readonly repairS: number;
  readonly offlineS: number;
  /** Down in a site outage (newer summaries). */
  readonly outageS?: number;
  /** Not part of the fleet: before it joined, after it left (newer summaries). */
  readonly absentS?: number;
  /** Exposed communication split by the widest network crossed (newer summaries). */
  readonly communicationByScope?: { readonly intraNodeS: number; readonly siteS: number; readonly wanS: number };
  /** The same split keyed by link class, as some summaries may name it. */
  readonly communicationByClass?: Readonly<Record<string, number>>;
}

export interface CostParts {
  readonly rentalUsd: number;
  readonly depreciationUsd: number;
  readonly hostingUsd: number;
  readonly electricityUsd: number;
}

export interface SiteJson {
  readonly site: string;
  readonly kind: string;
  readonly costModel?: string;
  readonly gpus: number;
  readonly onlineGpuS: number;
  readonly computeGpuS: number;
  readonly tokens: number;
  readonly energyJ: number;
  readonly costUsd: number;
  readonly cost?: CostParts;
  readonly breakdown?: Breakdown;
}

export interface RunSummaryJson {
  readonly label: string;
  readonly finished: boolean;
  readonly progress: number;
  readonly nodes: number;
  readonly gpus: number;
  readonly gpuTypes: Readonly<Record<string, number>>;
  readonly sites: number;
  readonly timeToTrainS: number;
  readonly tokensTrained: number;
  readonly effectiveTokens: number;
  readonly tokenEfficiency: { readonly value: number; readonly source: string };
  readonly tokensLost: number;
  readonly throughputTokensPerS: number;
  readonly effectiveThroughputTokensPerS: number;
  readonly mfu: number;
  readonly mfuFleet: number;
  readonly hfu: number;
  readonly modelFlopPerToken: number;
  readonly breakdown: Breakdown;
  readonly bytesByLinkClass: Readonly<Record<string, number>>;
  readonly wanBytesSent: number;
  readonly gpuHours: number;
  readonly energyJ: number;
  readonly costUsd: number;
  readonly cost?: CostParts;
  readonly events: Readonly<Record<string, number>>;
  readonly perSite: readonly SiteJson[];
  readonly simulator?: { readonly events: number; readonly flowSolves: number; readonly replayedGroupRounds?: number; readonly replayedSyncs?: number };
  /** GPU classes run on `dtsim calibrate` profiles, with the curves the run used (newer summaries). */
  readonly calibration?: readonly CalibrationJson[];
}

export interface CalibrationJson {
  readonly gpu: string;
  readonly profile: { readonly file: string; readonly name: string; readonly backend: string; readonly date: string; readonly scaling: string };
  readonly peakFlopS: number;
  readonly curve: readonly (readonly [number, number])[];
}

export interface ComparisonJson {
  readonly bothFinished: boolean;
  readonly timeToTrainRatio?: number;
  readonly effectiveTimeRatio?: number;
  readonly costRatio?: number;
  readonly energyRatio?: number;
  readonly note?: string;
}

export interface SummaryJson {
  readonly schemaVersion: number;
  readonly scenario: {
    readonly name: string;
    readonly file?: string;
    readonly description?: string;
    readonly seed?: number;
    readonly model?: string;
    readonly params?: number;
    readonly tokens: number;
  };
  readonly run: RunSummaryJson;
  readonly baseline?: RunSummaryJson;
  readonly comparison?: ComparisonJson;
  /** Present when the scenario has an economy block (only the parts the report reads are typed). */
  readonly economy?: EconomyJson;
}

/** P10 / P50 / P90 of a figure over Monte Carlo seeds. */
export interface BandJson {
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

/** One cohort (class × vintage) of summary.json economy.summary.cohorts. */
export interface CohortJson {
  readonly class: string;
  readonly vintageDay: number;
  readonly initial?: boolean;
  readonly delivered: number;
  readonly active: number;
  readonly idle: number;
  readonly migrated: number;
  readonly exited: number;
  readonly retired: number;
  readonly capexUsd: number;
  readonly cashUsd: number;
  /** Absent (or null) when the cohort never paid back. */
  readonly paybackDays?: number | null;
  readonly roi: number;
  readonly roiPerYear: number;
}

export interface EconomyJson {
  /** Training time after the economy's last day (newer summaries). */
  readonly trainingAfterEconomyS?: number;
  readonly summary?: { readonly cohorts?: readonly CohortJson[] } & Readonly<Record<string, unknown>>;
  readonly monteCarlo?: {
    readonly runs: number;
    readonly seeds: readonly number[];
    readonly headline: Readonly<Record<string, BandJson>>;
  };
}

/** One row of timeseries.csv, parsed. */
export interface SeriesRow {
  readonly run: string;
  readonly timeS: number;
  readonly tokens: number;
  readonly effectiveTokens: number;
  readonly tokensLost: number;
  readonly activeNodes: number;
  readonly activeGpus: number;
  readonly periodS: number;
  readonly throughputTokensPerS: number;
  readonly event: string;
  /** Training GPUs by GPU type (the gpus_<id> columns; empty in older results). */
  readonly gpusByType: Readonly<Record<string, number>>;
}

/** A CSV file as read: header and rows of strings (links.csv, nodes.csv, economy.csv). */
export interface CsvTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A setting with where it came from: the scenario file, or a default and its source. */
export interface Sourced<T> {
  readonly value: T;
  /** 'scenario' when the scenario set it; otherwise the default's source text. */
  readonly from: 'scenario' | 'default';
  readonly source?: string;
}

export interface SiteAssumptions {
  readonly name: string;
  readonly kind: string;
  readonly region: string | null;
  readonly nodeGroups: readonly {
    readonly gpu: string;
    readonly nodes: number;
    readonly gpusPerNode: number;
    readonly intraNodeBytesPerS: number;
    /** Infinity is written as null (one machine, no LAN limit). */
    readonly nicBytesPerS: number | null;
    readonly nodeMtbfS: number;
    readonly rentalUsdPerGpuH: number;
    readonly capexUsdPerGpu: number;
  }[];
  readonly fabric: Sourced<{ readonly id: string | null; readonly bytesPerS: number | null; readonly oversubscription: number }>;
  readonly access: Sourced<{ readonly id: string | null; readonly upBytesPerS: number; readonly downBytesPerS: number; readonly latencyS: number }>;
  readonly pue: Sourced<number>;
  readonly electricityUsdPerKWh: Sourced<number>;
  readonly costModel: Sourced<string>;
  readonly hostingUsdPerKWMonth: Sourced<number>;
  readonly depreciationYears: Sourced<number>;
}

export interface SystemAssumptions {
  readonly role: 'run' | 'baseline';
  readonly label: string;
  readonly strategy: {
    readonly kind: string;
    readonly text: string;
    readonly tokenEfficiency: Sourced<number>;
    readonly recovery: string;
  };
  readonly sites: readonly SiteAssumptions[];
  readonly wan: {
    readonly matrix: boolean;
    readonly matrixSource: string;
    /** Measured region pairs among this system's regions (only when matrix is on). */
    readonly pairs: readonly { readonly a: string; readonly b: string; readonly rttS: number; readonly bytesPerS: number }[];
    readonly withinRegion: { readonly rttS: number; readonly bytesPerS: number };
    readonly tcpWindowBytes: Sourced<number | null>;
    readonly streams: Sourced<number>;
    readonly backboneLatencyS: number;
  };
  readonly faults: {
    readonly failures: boolean;
    readonly repairS: Sourced<number>;
    readonly restartS: Sourced<number>;
    readonly checkpointIntervalS: number | null;
    readonly checkpointWriteS: number;
    readonly churn: Sourced<{ readonly kinds: readonly string[]; readonly meanOnlineS: number; readonly meanOfflineS: number; readonly shape: number }> | null;
  };
}

/** scenario.json: the scenario as run (after extends and --set) and the assumptions resolved from defaults. */
export interface ScenarioRecord {
  readonly schemaVersion: 1;
  /** The scenario tree as run. */
  readonly scenario: unknown;
  readonly assumptions: readonly SystemAssumptions[];
  /** How the record was obtained, when not saved at run time (e.g. re-read from the scenario file). */
  readonly note?: string;
}

/** Everything a report is built from. Absent files are null. */
export interface ReportInputs {
  readonly summary: SummaryJson;
  readonly timeseries: readonly SeriesRow[] | null;
  readonly links: CsvTable | null;
  readonly nodes: CsvTable | null;
  readonly economy: CsvTable | null;
  /** economy-mc.csv (dtsim run --runs N): P10/P50/P90 per day; absent in older inputs. */
  readonly economyMc?: CsvTable | null;
  readonly scenario: ScenarioRecord | null;
  /** Result files looked for, and whether each was found. */
  readonly files: readonly { readonly name: string; readonly present: boolean; readonly note?: string }[];
}

// ---------- chart specifications (JSON, inlined in the page, drawn by the browser bundle) ----------

export interface TableSpec {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** File name offered for the CSV download. */
  readonly csvName: string;
}

export type Curve = 'linear' | 'step-before' | 'step-after';

export interface LineSeriesSpec {
  readonly key: string;
  readonly label: string;
  /** Index into the palette. */
  readonly color: number;
  readonly dash?: boolean;
  readonly curve: Curve;
  /** [x in the chart's x unit, y in its y unit] */
  readonly points: readonly (readonly [number, number])[];
}

/**
 * A filled band between two curves: a Monte Carlo P10–P90 fan, or one layer of a stacked area
 * (lo = the layers below, hi = lo + this layer). `tip` says what the tooltip reads: the range
 * (`lo – hi`) or the layer's own size (`hi − lo`).
 */
export interface BandSpec {
  readonly key: string;
  readonly label: string;
  readonly color: number;
  readonly tip: 'range' | 'size';
  /** [x, lo, hi] in the chart's units. */
  readonly points: readonly (readonly [number, number, number])[];
}

export interface EventMarkSpec {
  readonly x: number;
  readonly kind: string;
  readonly label: string;
}

export type ValueFormat = 'tokens' | 'count' | 'pct' | 'usd' | 'rate' | 'number' | 'duration' | 'bytes';

export interface ChartBase {
  readonly id: string;
  readonly title: string;
  /** One or two sentences under the title: what is shown and what it means. */
  readonly caption: string;
  readonly table: TableSpec;
  /** Unit of the table's numbers, said once above it (e.g. "seconds per GPU"). */
  readonly tableUnit?: string;
  /** Short notes shown under the chart (e.g. a missing input). */
  readonly notes?: readonly string[];
}

export interface LineChartSpec extends ChartBase {
  readonly kind: 'line';
  readonly xLabel: string;
  readonly yLabel: string;
  readonly yFormat: ValueFormat;
  /** Multiplier from chart y to the unit named by yFormat (e.g. 1e9 when y is in billions). */
  readonly yScale?: number;
  readonly series: readonly LineSeriesSpec[];
  /** Filled bands drawn under the lines (fan charts, stacked areas). */
  readonly bands?: readonly BandSpec[];
  readonly events: readonly EventMarkSpec[];
  readonly refLines: readonly { readonly y: number; readonly label: string }[];
}

export interface BarChartSpec extends ChartBase {
  readonly kind: 'bars';
  readonly valueLabel: string;
  readonly valueFormat: ValueFormat;
  /** 'fit': the axis fits the values (pct charts otherwise span 0–100 %); negative values extend it leftwards. */
  readonly valueDomain?: 'fit';
  readonly rows: readonly { readonly key: string; readonly label: string }[];
  /** `hatch`: drawn striped, so parts that share a colour stay apart (beyond the palette's 9 colours). */
  readonly segments: readonly { readonly key: string; readonly label: string; readonly color: number; readonly hatch?: boolean }[];
  /** values[row][segment] */
  readonly values: readonly (readonly number[])[];
  /** Optional detail per cell for tooltips (e.g. the absolute time behind a share). */
  readonly details?: readonly (readonly string[])[];
}

export interface TopologySpec extends ChartBase {
  readonly kind: 'topology';
  readonly nodes: readonly {
    readonly id: string;
    readonly label: string;
    readonly kind: string;
    readonly gpus: number;
    /** Position in the unit square (0,0 top left). */
    readonly x: number;
    readonly y: number;
    /** The busiest of the site's own links (access, fabric), 0..1, when measured. */
    readonly utilization: number | null;
    /** The bottleneck is one of this site's own links. */
    readonly bottleneck: boolean;
    readonly detail: string;
  }[];
  readonly links: readonly {
    readonly id: string;
    readonly from: string;
    readonly to: string;
    readonly capacityBytesPerS: number;
    /** Measured utilization 0..1 (mean, or busy share), or null when no link measurements were saved. */
    readonly utilization: number | null;
    /** wan-access (a site's link to its hub) or wan-path (between two regions). */
    readonly cls: string;
    readonly bottleneck: boolean;
    readonly detail: string;
  }[];
  readonly hasUtilization: boolean;
  /** WAN hubs (a region, or "internet" for sites without one), referred to by links as hub:<id>. */
  readonly hubs: readonly { readonly id: string; readonly label: string; readonly x: number; readonly y: number }[];
}

export type ChartSpec = LineChartSpec | BarChartSpec | TopologySpec;
