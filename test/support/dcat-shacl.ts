import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Parser, type Quad, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

// Validates DCAT-AP exports against the official DCAT-AP 3.0.1 SHACL shapes (test/standards/). Used
// by the catalog's SHACL tests and usable over any catalog, e.g. the demo:
//   const { violations } = await validateCatalogShacl(await (await fetch(`${url}/catalog.ttl`)).text());

/** The official shapes, kept unmodified in the repository (test/standards/README.md says where from). */
export const DCAT_AP_SHAPES = fileURLToPath(new URL('../standards/dcat-ap-3.0.1-SHACL.ttl', import.meta.url));

export interface ShaclResult {
  severity: string;
  focusNode: string;
  path: string;
  message: string;
  shape: string;
  constraint: string;
}

let validator: SHACLValidator | undefined;

function dcatApValidator(): SHACLValidator {
  if (!validator) {
    const shapes = new Store(new Parser().parse(fs.readFileSync(DCAT_AP_SHAPES, 'utf8')));
    validator = new SHACLValidator(shapes);
  }
  return validator;
}

/** One line per result, for assertion messages. */
export const formatShaclResults = (results: readonly ShaclResult[]) =>
  results
    .map((r) => `${r.severity} ${r.focusNode} ${r.path}: ${r.message} [${r.constraint}; ${r.shape}]`)
    .join('\n');

/**
 * Validates a DCAT-AP document (Turtle text or quads) against the DCAT-AP 3.0.1 shapes. `violations`
 * are the results of severity sh:Violation (all of them in these shapes); `results` has every one.
 */
export async function validateCatalogShacl(
  input: string | readonly Quad[],
): Promise<{ conforms: boolean; violations: ShaclResult[]; results: ShaclResult[] }> {
  const quads = typeof input === 'string' ? new Parser().parse(input) : [...input];
  const report = await dcatApValidator().validate(new Store(quads));
  const results: ShaclResult[] = report.results.map((r) => ({
    severity: r.severity?.value.replace('http://www.w3.org/ns/shacl#', 'sh:') ?? '',
    focusNode: r.focusNode?.value ?? '',
    path: r.path && 'value' in r.path ? String(r.path.value) : JSON.stringify(r.path),
    message: r.message.map((m) => m.value).join('; '),
    shape: r.sourceShape?.value ?? '',
    constraint: r.sourceConstraintComponent?.value.replace('http://www.w3.org/ns/shacl#', 'sh:') ?? '',
  }));
  return {
    conforms: report.conforms,
    violations: results.filter((r) => r.severity === 'sh:Violation'),
    results,
  };
}
