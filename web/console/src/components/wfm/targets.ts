/** The service targets typed once on the Staffing tab and used by the requirement, the schedule and the
 * scenarios' Erlang staffing (provided by WfmView). Percentages as people type them. */
import type { InjectionKey } from 'vue'
import type { Target } from '../../api/wfm'

export interface TargetForm {
  slPercent: number
  targetTime: number
  patience: number | null // seconds; set → Erlang A
  shrinkagePercent: number
  maxOccupancyPercent: number
}

export const TARGETS: InjectionKey<TargetForm> = Symbol('wfm-targets')

export function defaultTargets(): TargetForm {
  return { slPercent: 80, targetTime: 20, patience: null, shrinkagePercent: 0, maxOccupancyPercent: 100 }
}

/** The form as the API's fractions. */
export function targetOf(f: TargetForm): Target {
  return {
    target_sl: f.slPercent / 100,
    target_time: f.targetTime,
    shrinkage: f.shrinkagePercent / 100,
    max_occupancy: f.maxOccupancyPercent / 100,
    patience: f.patience || null,
  }
}
