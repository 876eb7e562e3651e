import { ArrowDown, ArrowUp, Trash2 } from 'lucide-react';

/**
 * Up, down and delete for one item of an ordered list (a rule, a route's target), each labelled with
 * the item's name ("Move rule 2 up"), up and down off at the ends.
 */
export function OrderButtons(props: { item: string; index: number; count: number; onMove(by: -1 | 1): void; onDelete(): void }) {
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label={`Move ${props.item} up`}
        disabled={props.index === 0}
        onClick={() => props.onMove(-1)}
      >
        <ArrowUp size={15} />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={`Move ${props.item} down`}
        disabled={props.index === props.count - 1}
        onClick={() => props.onMove(1)}
      >
        <ArrowDown size={15} />
      </button>
      <button type="button" className="icon-button danger-text" aria-label={`Delete ${props.item}`} onClick={props.onDelete}>
        <Trash2 size={15} />
      </button>
    </>
  );
}
