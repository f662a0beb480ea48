/** The example rules plus a note whose custom merge takes the second value: not commutative. */
import { defineRules } from '../../shared/rules/define-rules';
import { noteRules } from './cli-rules';

export default defineRules(noteRules((_first, second) => second));
