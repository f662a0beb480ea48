/** The example rules plus a note whose custom merge throws: its conflicts are quarantined. */
import { defineRules } from '../../shared/rules/define-rules';
import { noteRules } from './cli-rules';

export default defineRules(
  noteRules(() => {
    throw new Error('the note merge is not written yet');
  }),
);
