/** The example rules plus a note whose custom merge keeps the longer text: lawful. */
import { defineRules } from '../../shared/rules/define-rules';
import { longerText, noteRules } from './cli-rules';

export default defineRules(noteRules(longerText));
