import type { ResearchStatus } from '../../common/research-types.js';
import { writerAgent, type ReportFormat, type ResearchReport } from '../agents/writer.js';
import { chainOf, describeError, isUnusableModelOutput } from '../failures.js';
import { evidenceDigest } from './digest.js';
import type { RunAgent } from './agent-runner.js';

/** What the writer is given: the question, the asker's answers and the evidence, as JSON. */
export interface WriterBrief {
  question: string;
  preferences?: string;
  clarifications: { question: string; answer: string }[];
  evidence: { sourceId: string; title: string; excerpt: string }[];
}

/**
 * The cited report. The writer's output guardrail rejects a draft that cites none of the evidence;
 * then a second draft is asked for with a reminder, and if that one cites nothing either it is
 * delivered with a warning rather than nothing. When the model's output is unusable (not the shape
 * asked for, even after the worker's repair turn), the report is a digest of the evidence instead.
 * Warnings go to the status.
 */
export async function writeReport(
  runAgent: RunAgent,
  format: ReportFormat,
  brief: WriterBrief,
  status: ResearchStatus
): Promise<ResearchReport> {
  const evidenceIds = new Set(brief.evidence.map((p) => p.sourceId));
  try {
    try {
      return await runAgent(writerAgent(format, evidenceIds), JSON.stringify(brief));
    } catch (err) {
      if (!rejectedDraft(err)) throw err;
      status.warnings.push('the first draft cited no evidence; asked for another');
    }
    return await secondDraft(runAgent, format, brief, evidenceIds, status);
  } catch (err) {
    if (!isUnusableModelOutput(err)) throw err;
    status.warnings.push(
      `the writer's output was unusable (${describeError(err)}): the report quotes the evidence`
    );
    return evidenceDigest(brief);
  }
}

async function secondDraft(
  runAgent: RunAgent,
  format: ReportFormat,
  brief: WriterBrief,
  evidenceIds: ReadonlySet<string>,
  status: ResearchStatus
): Promise<ResearchReport> {
  try {
    return await runAgent(
      writerAgent(format, evidenceIds),
      JSON.stringify({ ...brief, note: 'Cite the evidence: put its [sourceId] after every claim.' })
    );
  } catch (err) {
    const draft = rejectedDraft(err);
    if (!draft) throw err;
    status.warnings.push('the report cites no evidence: check its claims against the sources');
    return draft;
  }
}

/** The draft the writer's output guardrail rejected, when that (not a model or tool failure) stopped the run. */
function rejectedDraft(err: unknown): ResearchReport | undefined {
  const tripped = chainOf(err).find((e) => e.name === 'OutputGuardrailTripwireTriggered') as
    (Error & { result?: { agentOutput?: ResearchReport } }) | undefined;
  return tripped ? (tripped.result?.agentOutput ?? undefined) : undefined;
}
