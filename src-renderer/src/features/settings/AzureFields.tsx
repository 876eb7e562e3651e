import { Field } from '../../components/ui/Field';
import type { Draft, Errors } from './connection-draft';

/** Azure OpenAI's own fields: the API version and which deployment serves each model name. */
export function AzureFields(props: {
  apiVersion: string;
  deployments: Array<{ alias: string; deployment: string }>;
  errors: Errors;
  onChange(patch: Partial<Draft>): void;
}) {
  const setRow = (index: number, patch: Partial<{ alias: string; deployment: string }>) =>
    props.onChange({ deployments: props.deployments.map((row, at) => (at === index ? { ...row, ...patch } : row)) });
  return (
    <>
      <Field label="API version" error={props.errors['azure.apiVersion']}>
        <input type="text" value={props.apiVersion} onChange={(event) => props.onChange({ azureApiVersion: event.target.value })} />
      </Field>
      <fieldset className="deployments">
        <legend>Deployments: the model name you use, and the Azure deployment that serves it</legend>
        {props.deployments.map((row, index) => (
          <div className="deployment-row" key={index}>
            <input
              type="text"
              aria-label={`Model name ${index + 1}`}
              placeholder="gpt-4o"
              value={row.alias}
              onChange={(event) => setRow(index, { alias: event.target.value })}
            />
            <input
              type="text"
              aria-label={`Deployment ${index + 1}`}
              placeholder="my-gpt4o-deployment"
              value={row.deployment}
              onChange={(event) => setRow(index, { deployment: event.target.value })}
            />
          </div>
        ))}
        <button
          type="button"
          className="button-quiet"
          onClick={() => props.onChange({ deployments: [...props.deployments, { alias: '', deployment: '' }] })}
        >
          Add deployment
        </button>
        {props.errors['azure.deployments'] ? <span className="field-error">{props.errors['azure.deployments']}</span> : null}
      </fieldset>
    </>
  );
}
