// Generated from the C# status records by ApiTypesTests; do not edit.

export type BatteryMode = 'Auto' | 'Hold' | 'ChargeFromGrid' | 'Discharge';

export interface BatteryScheduleStatus {
  strategy: ScheduleStrategy;
  mode: BatteryMode;
  powerW: number | null;
  targetSocPct: number | null;
  why: string;
  socPct: number;
  currency: string;
  forecastDays: number;
  planCost: number | null;
  slots: PlannedSlot[];
}

export interface ConsumerStatistics {
  runtimeTodayS: number;
  runtimeYesterdayS: number;
  runtimeTotalS: number;
  energyTodayWh: number;
  energyYesterdayWh: number;
  energyTotalWh: number;
}

export type EvCarState = 'Disconnected' | 'Connected' | 'Charging' | 'Error' | 'Complete';

export interface EvChargingStatus {
  chargers: EvStatus[];
}

export interface EvEnergy {
  sessionPvWh: number;
  sessionGridWh: number;
  totalPvWh: number;
  totalGridWh: number;
  sessionChargingS: number;
}

export type EvMode = 'Off' | 'PvOnly' | 'PvAll' | 'Max' | 'Manual';

export type EvPhaseMode = 'Auto' | 'OnePhase' | 'ThreePhase';

export interface EvPlanSlot {
  start: string;
  end: string;
  importPerKwh: number | null;
  powerW: number | null;
  gridW: number | null;
}

export interface EvPlanStatus {
  energyKwh: number;
  by: string;
  chargedKwh: number;
  chargingNow: boolean;
  slots: EvPlanSlot[];
  why: string;
  plannedBy: string | null;
  powerW: number | null;
}

export type EvPriority = 'Auto' | 'HomeBattery' | 'Car';

export interface EvStatus {
  key: string;
  charger: string;
  mode: EvMode;
  desiredMode: EvMode;
  phaseMode: EvPhaseMode;
  chargePriority: EvPriority;
  car: EvCarState;
  currentA: number;
  phases: number;
  powerW: number;
  sessionEnergyWh: number | null;
  energy: EvEnergy;
  why: string;
  error: string | null;
  plan: EvPlanStatus | null;
  stale: boolean;
  readingAgeS: number | null;
}

export type PlannedAction = 'SelfConsume' | 'ChargeFromGrid' | 'Hold' | 'Discharge';

export interface PlannedSlot {
  start: string;
  length: string;
  action: PlannedAction;
  batteryKw: number;
  gridKw: number;
  socStartPct: number;
  socEndPct: number;
  importPerKwh: number;
  feedInPerKwh: number;
  cost: number;
  why: string;
}

export type ScheduleStrategy = 'Optimal' | 'Rules';

export interface SurplusConsumerStatus {
  key: string;
  name: string;
  kind: string;
  automatic: boolean;
  priority: number;
  requestW: number;
  allowanceW: number;
  consumptionW: number;
  why: string;
  statistics: ConsumerStatistics;
}

export interface SurplusStatus {
  cycleAt: string;
  surplusW: number;
  reservationW: number;
  assignedW: number;
  remainingW: number;
  consumers: SurplusConsumerStatus[];
}
