// A saved plan (`--out plan.json`): the plan, its refusals, when and from what it was made. `stsvol
// apply` reads it back and applies it only if planning the same request against the live cluster
// now gives the same steps: the file is a proposal to review, never an authority over the cluster.

import { parse } from 'yaml';
import { firstLine, InputError } from '../model/errors.ts';
import { readSmallFile } from '../model/input-files.ts';
import { jsonText } from '../model/safe-text.ts';
import { isPlanShaped, type Plan, type Refusal } from '../plans/plan.ts';
import { checkTarget, writeFileAtomically } from './output-file.ts';

export const PLAN_FILE_VERSION = 'stsvol.io/v1';

export type PlanSource = { type: 'live'; context: string; server: string } | { type: 'offline'; files: string[] };

export interface PlanFile {
  apiVersion: typeof PLAN_FILE_VERSION;
  kind: 'Plan';
  /** RFC3339; its day names the snapshots the plan takes, on whatever day it is applied. */
  createdAt: string;
  source: PlanSource;
  plan: Plan;
  refusals: Refusal[];
}

export function checkPlanTarget(path: string): void {
  checkTarget(path, '--out');
}

export async function writePlanFile(path: string, file: PlanFile): Promise<void> {
  await writeFileAtomically(path, [`${jsonText(file, 2)}\n`], '--out');
}

export function readPlanFile(path: string): PlanFile {
  const text = readSmallFile(path, 'stsvol apply');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new InputError(`${path}: not JSON or YAML (${firstLine(err)})`);
  }
  const file = doc as Partial<PlanFile> | null;
  if (file?.apiVersion !== PLAN_FILE_VERSION || file.kind !== 'Plan') throw new InputError(`${path}: not a plan saved by stsvol (expected apiVersion ${PLAN_FILE_VERSION}, kind Plan; made with --out)`);
  if (!isPlanShaped(file.plan) || !Array.isArray(file.refusals) || typeof file.createdAt !== 'string' || Number.isNaN(Date.parse(file.createdAt))) {
    throw new InputError(`${path}: a Plan whose plan, refusals or createdAt cannot be read; make it again with --out`);
  }
  return file as PlanFile;
}

/** What must be equal for two plans to make the same changes: every step's identity, action and
 *  conditions; titles, undo texts, summaries and prices are words about them. */
export function stepsOf(plan: Plan): string[] {
  return plan.steps.map((s) => JSON.stringify({ id: s.id, action: s.action, requires: s.requires, until: s.until, when: s.when, waitSeconds: s.waitSeconds }));
}
