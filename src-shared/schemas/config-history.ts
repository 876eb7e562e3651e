import { z } from 'zod';

/** One line of a readable difference between two configurations. */
export const configChangeSchema = z.object({
  kind: z.enum(['added', 'changed', 'removed']),
  /** What it is about: `rule agent:builder -> Claude`, `route resilient`, `connection OpenAI`. */
  subject: z.string(),
  /** What happened to it, empty for a plain add or remove: `OpenAI moved below Claude`. */
  detail: z.string(),
});
export type ConfigChange = z.infer<typeof configChangeSchema>;

/** Where a version came from. */
export const configSourceSchema = z.enum(['app', 'import', 'rollback']);
export type ConfigSource = z.infer<typeof configSourceSchema>;

/** One applied version of the configuration, as the history lists it. */
export const configVersionSchema = z.object({
  id: z.number().int().positive(),
  at: z.number(),
  source: configSourceSchema,
  /** What changed from the version before; for a rollback, also which version it went back to. */
  changes: z.array(configChangeSchema),
  note: z.string(),
});
export type ConfigVersion = z.infer<typeof configVersionSchema>;

/** What an import would do, shown before anything is applied. */
export interface ImportPreview {
  /** Pass back to apply exactly what was shown. */
  token: string;
  fileName: string;
  changes: ConfigChange[];
  /** Connection names that will need a key before they can answer (new, or pointed at another host). */
  needKeys: string[];
}

/** An import that cannot be applied: one line per problem, each naming the field. */
export interface ImportRefusal {
  fileName: string;
  problems: string[];
}

/** A connection the user must pick for a provider the file names, where two connections share its kind. */
export interface ImportProviderChoice {
  provider: string;
  connections: Array<{ id: string; name: string }>;
}

/** The answer to "what would importing this file do?". Nothing is applied by asking. */
export type ImportCheck =
  | { status: 'ready'; preview: ImportPreview }
  | { status: 'choose'; fileName: string; choices: ImportProviderChoice[] }
  | { status: 'refused'; refusal: ImportRefusal };

/** What the renderer sends to preview an import; the file is read in the window and bounded here. */
export const importRequestSchema = z
  .object({
    fileName: z.string().trim().min(1).max(260),
    text: z.string().max(2_000_000, 'The file is larger than 2 MB; a configuration file is far smaller. Check you chose the right file.'),
    /** Provider name in the file -> connection id, for providers two connections could serve. */
    assignments: z.record(z.string().max(100), z.string().max(100)).optional(),
  })
  .strict();
export type ImportRequest = z.infer<typeof importRequestSchema>;
