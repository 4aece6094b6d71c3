/**
 * What an area of the inbox shows while it has nothing to show: grey
 * placeholder shapes while its data loads (never a blank area), and an empty
 * state that says what happens next.
 */
import type { ReactNode } from 'react';

/**
 * Placeholder shapes while something loads, announced once by its label.
 *
 * @param props       Props.
 * @param props.label What is loading, for screen readers.
 * @param props.rows  How many placeholder rows.
 * @param props.shape Rows of a list (avatar and two lines), message bubbles, or facts.
 */
export function Skeleton( {
	label,
	rows = 3,
	shape,
}: {
	label: string;
	rows?: number;
	shape: 'list' | 'messages' | 'facts';
} ) {
	return (
		<div
			className={ `chatflows-inbox__skeleton is-${ shape }` }
			role="status"
			aria-busy="true"
		>
			<span className="screen-reader-text">{ label }</span>
			{ Array.from( { length: rows }, ( _, index ) => (
				<div
					key={ index }
					className="chatflows-inbox__skeleton-row"
					aria-hidden="true"
				>
					{ shape === 'list' && (
						<span className="chatflows-inbox__skeleton-circle" />
					) }
					<span className="chatflows-inbox__skeleton-lines">
						<span className="chatflows-inbox__skeleton-line" />
						<span className="chatflows-inbox__skeleton-line is-short" />
					</span>
				</div>
			) ) }
		</div>
	);
}

/**
 * An empty area: what is (not) here, and what to do next.
 *
 * @param props          Props.
 * @param props.title    What is (not) here.
 * @param props.children What to do next: a sentence, a link or a button.
 */
export function EmptyState( {
	title,
	children,
}: {
	title: string;
	children?: ReactNode;
} ) {
	return (
		<div className="chatflows-inbox__empty">
			<p className="chatflows-inbox__empty-title">{ title }</p>
			{ children }
		</div>
	);
}
