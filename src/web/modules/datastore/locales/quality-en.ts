import type { LocaleShape } from '../../../app/locales/zh-CN.ts';
import type qualityZh from './quality-zh-CN.ts';

// DataStore quality strings in English.

const qualityEn: LocaleShape<typeof qualityZh> = {
  title: 'Data quality',
  intro:
    'Computed after every load and every rule change: how complete each column is and what it holds, the results of the column rules, and the quality score.',
  notYet: "This table's quality has not been computed yet. It is computed when a load finishes.",
  failed: 'The last quality computation failed: {{error}}',
  computed: 'Version {{version}} ({{rows}} rows), computed {{time}}.',
  estimated:
    "The table has more than 100,000 rows: distinct counts and most common values come from the database's statistics and type conformity from a sample, so they are estimates.",
  score: {
    heading: 'Quality score',
    value: '{{score}}',
    outOf: 'out of 100',
    ring: 'Quality score {{score}} out of 100',
    dataset:
      'The resource as a whole (all its tables) scores {{score}}; that is the score search results show.',
    about:
      'The score weighs the criteria below: half the weight is metadata (to find, trust and cite the data), half the data itself (complete, keeping its rules and types, up to date). Criteria that do not apply are left out.',
  },
  criteria: {
    heading: 'Score criteria',
    caption: 'Criteria of the quality score: weight, points, status and explanation',
    criterion: 'Criterion',
    group: 'Group',
    points: 'Points / weight',
    pointsValue: '{{points}} / {{weight}}',
    status: 'Status',
    explain: 'Explanation',
  },
  groups: { metadata: 'Metadata', data: 'Data' },
  statuses: { pass: 'Met', partial: 'Partly met', fail: 'Not met', not_applicable: 'Does not apply' },
  criterion: {
    licence: {
      name: 'Licence',
      about: 'An open licence earns full points, a licence that is not open half.',
      figures: 'Licence: {{licence}}.',
    },
    description_zh: {
      name: 'Chinese description',
      about: 'A Chinese description of {{wanted}} characters or more earns full points, a shorter one half.',
      figures: 'It has {{chars}} characters.',
    },
    description_en: {
      name: 'English description',
      about: 'An English description of {{wanted}} characters or more earns full points, a shorter one half.',
      figures: 'It has {{chars}} characters.',
    },
    temporal_coverage: {
      name: 'Period covered',
      about: 'The start and the end date count half each.',
      figures: 'Start: {{start}}; end: {{end}}.',
    },
    spatial_coverage: {
      name: 'Area covered',
      about: 'At least one administrative region earns full points.',
      figures: '{{regions}} regions given.',
    },
    update_cycle_kept: {
      name: 'Updated on schedule',
      about:
        'Met when a published resource has a new version within its update cycle; does not apply to irregular updates.',
      figures: 'Update cycle: {{cycle}}; {{overdue}}.',
    },
    open_format: {
      name: 'Open formats',
      about: 'The share of distributions a program can read (CSV, JSON, XLSX, an API…).',
      figures: '{{machineReadable}} of {{distributions}} distributions are machine-readable.',
    },
    documentation: {
      name: 'Column descriptions',
      about: 'Descriptions on {{share}}% of the columns earn full points.',
      figures: '{{described}} of {{columns}} columns are described.',
    },
    contact: {
      name: 'Contact',
      about: 'A contact name with an email or phone earns full points, a name alone half.',
      figures: 'Name: {{name}}; email: {{email}}; phone: {{phone}}.',
    },
    completeness: {
      name: 'Completeness',
      about: 'The average share of cells with a value, over the columns.',
      figures: 'Average completeness {{percent}}%.',
    },
    rule_conformity: {
      name: 'Keeps its rules',
      about: 'The average share of values that keep each column rule; does not apply without rules.',
      figures: '{{rules}} rules checked, {{violations}} violations.',
    },
    type_conformity: {
      name: 'Fits its types',
      about:
        "The average share of values that fit their column's type: in a text column whose values are mostly numbers or dates, the others count against it.",
      figures: 'Over {{tables}} tables.',
    },
    timeliness: {
      name: 'Timeliness',
      about:
        'A current version younger than one update cycle earns full points, younger than two half; does not apply to irregular updates.',
      figures: 'The current version is {{days}} days old; the update cycle is {{cycleDays}} days.',
    },
  },
  yes: 'yes',
  no: 'no',
  none: 'not given',
  overdue: 'overdue',
  onTime: 'on time',
  completeness: {
    heading: 'Completeness by column',
    chart: 'Bar chart of completeness by column (percentage of cells with a value)',
    axis: 'Completeness (%)',
  },
  columns: {
    heading: 'Columns',
    caption:
      'Type, completeness, distinct values, range, most common values and type conformity of each column',
    column: 'Column',
    type: 'Type',
    completeness: 'Completeness',
    nulls: '{{count}} empty',
    distinct: 'Distinct',
    range: 'Min / max',
    lengths: 'Length {{min}}–{{max}}',
    mostCommon: 'Most common values',
    valueCount: '{{value}} ({{count}})',
    conformity: 'Type conformity',
    candidate: '{{percent}}% would fit {{type}}',
    masked: 'Masked: values not shown',
    approx: '≈ {{count}}',
  },
  rules: {
    heading: 'Rule results',
    none: 'No column rules are set yet.',
    caption: 'Values checked, violations, conformity and examples of each column rule',
    column: 'Column',
    rule: 'Rule',
    checked: 'Values checked',
    violations: 'Violations',
    conformity: 'Conformity',
    examples: 'Violating values (row: value)',
    example: 'row {{id}}: {{value}}',
    skipped: 'Not checked: {{reason}}',
    reason: {
      unknown_column: 'the column no longer exists',
      type_mismatch: "the rule does not suit the column's type",
    },
  },
  kinds: {
    pattern: 'Regular expression',
    range: 'Number range',
    enum: 'List of values',
    resident_id: 'Resident ID number',
    uscc: 'Unified social credit code',
    phone: 'Phone number',
    date_range: 'Date range',
    not_null: 'Not empty',
    unique: 'Unique',
  },
  describe: {
    pattern: 'matches {{regex}}',
    range: '{{min}} to {{max}}',
    enum: 'one of {{values}}',
    date_range: '{{from}} to {{to}}',
    open: 'any',
    withParams: '{{kind}}: {{params}}',
  },
  editor: {
    heading: 'Edit column rules',
    intro: 'Set rules on columns and save: they are checked at once and the score is updated.',
    rule: 'Rule {{n}}: {{column}}',
    column: 'Column',
    kind: 'Rule kind',
    regex: 'Regular expression (PostgreSQL syntax)',
    min: 'Minimum',
    max: 'Maximum',
    values: 'Allowed values (press Enter after each)',
    from: 'From date',
    to: 'To date',
    noParams: 'This kind of rule needs no parameters.',
    add: 'Add a rule',
    remove: 'Remove rule {{n}}',
    save: 'Save rules',
    saved: 'Rules saved and checked',
    reset: 'Discard changes',
    unsaved: 'Unsaved changes',
    empty: 'No rules.',
    invalid: 'Some rules are not valid; see the marked rules.',
    ruleError: '{{field}}: {{message}}',
    wholeRule: 'Rule',
  },
};

export default qualityEn;
