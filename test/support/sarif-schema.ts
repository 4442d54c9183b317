/**
 * The official SARIF 2.1.0 JSON schema (OASIS; sarif-2.1.0-rtm.5.json, JSON Schema draft-04) as shipped in
 * @microsoft/jest-sarif, compiled with Ajv's draft-04 class. `unicodeRegExp: false`: the schema's language
 * pattern is not a valid Unicode-mode regular expression, as JavaScript's non-Unicode engines read it.
 */
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import schema from "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";

const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema errors of a SARIF log; empty when it is valid. */
export function sarifSchemaErrors(log: unknown): unknown[] {
  return validate(log) ? [] : [...(validate.errors ?? [])];
}
