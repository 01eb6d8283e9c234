// Every activity the worker registers (the model activity comes from the OpenAIAgentsPlugin).
import { calendarLookup } from './calendar.js';
import { corpusActivities } from './corpus.js';
import { fileActivities } from './files.js';
import { renderActivities } from './render.js';
import { webActivities } from './web/index.js';

export const activities = {
  calendarLookup,
  ...corpusActivities,
  ...renderActivities,
  ...webActivities,
  ...fileActivities,
};
export type Activities = typeof activities;
