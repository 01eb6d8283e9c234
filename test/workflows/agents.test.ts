import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { ClarifyingQuestions } from '../../src/workflows/agents/clarifier.js';
import { searchPlanSchema } from '../../src/workflows/agents/planner.js';
import { SearchFindings } from '../../src/workflows/agents/searcher.js';
import { TriageDecision } from '../../src/workflows/agents/triage.js';
import { ResearchReport } from '../../src/workflows/agents/writer.js';

// Keywords that strict structured outputs on real models reject or that would fail a run on a long
// string; lengths are bounded by the workflow instead.
const AVOIDED = ['minLength', 'maxLength', 'pattern', 'format'];

test('agent output schemas use only keywords strict structured outputs accept', () => {
  const schemas = {
    TriageDecision,
    ClarifyingQuestions,
    plan: searchPlanSchema(5),
    SearchFindings,
    ResearchReport,
  };
  for (const [name, schema] of Object.entries(schemas)) {
    const json = JSON.stringify(z.toJSONSchema(schema));
    for (const keyword of AVOIDED)
      assert.ok(!json.includes(`"${keyword}"`), `${name} uses ${keyword}: ${json}`);
  }
});
