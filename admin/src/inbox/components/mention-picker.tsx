/**
 * The `@` picker of the note box: the agents and teams of WordPress's
 * directory whose names match what follows the `@` being typed.
 */
import { __ } from '@wordpress/i18n';

import type { MentionTarget } from '@chatflows/protocol';

/** An agent or team that can be mentioned. */
export interface MentionCandidate extends MentionTarget {
	name: string;
}

/** Most candidates listed at once. */
export const MAX_CANDIDATES = 8;

/**
 * The `@query` being typed right before the caret, if any.
 *
 * @param text  The note so far.
 * @param caret Where the caret is.
 * @return The query (maybe '') and where its `@` starts, or null.
 */
export function mentionQueryAt(
	text: string,
	caret: number
): { query: string; start: number } | null {
	const match = /(^|\s)@([^\s@]{0,50})$/.exec( text.slice( 0, caret ) );
	if ( ! match ) {
		return null;
	}
	return {
		query: match[ 2 ],
		start: caret - match[ 2 ].length - 1,
	};
}

/**
 * Candidates whose name has a word starting with the query (case-insensitive).
 *
 * @param candidates Agents and teams.
 * @param query      What follows the `@`.
 * @return At most MAX_CANDIDATES, agents first.
 */
export function matchingCandidates(
	candidates: MentionCandidate[],
	query: string
): MentionCandidate[] {
	const wanted = query.toLocaleLowerCase();
	return candidates
		.filter(
			( candidate ) =>
				candidate.name
					.toLocaleLowerCase()
					.split( /\s+/ )
					.some( ( word ) => word.startsWith( wanted ) ) ||
				candidate.name.toLocaleLowerCase().startsWith( wanted )
		)
		.slice( 0, MAX_CANDIDATES );
}

interface MentionPickerProps {
	id: string;
	candidates: MentionCandidate[];
	/** Index of the highlighted candidate. */
	active: number;
	onPick: ( candidate: MentionCandidate ) => void;
}

/**
 * The candidates, as a listbox the note box drives from the keyboard.
 *
 * @param props            Props.
 * @param props.id         The listbox's id (the textarea's `aria-controls`).
 * @param props.candidates What matches.
 * @param props.active     The highlighted one.
 * @param props.onPick     Called with the chosen one.
 */
export function MentionPicker( {
	id,
	candidates,
	active,
	onPick,
}: MentionPickerProps ) {
	if ( candidates.length === 0 ) {
		return (
			<p className="chatflows-inbox__mention-picker is-empty">
				{ __( 'No agent or team by that name.', 'chatflows' ) }
			</p>
		);
	}
	return (
		<ul
			id={ id }
			role="listbox"
			className="chatflows-inbox__mention-picker"
			aria-label={ __( 'Mention an agent or a team', 'chatflows' ) }
		>
			{ candidates.map( ( candidate, index ) => (
				<li
					key={ `${ candidate.type }:${ candidate.id }` }
					id={ `${ id }-${ index }` }
					role="option"
					aria-selected={ index === active }
					className={ index === active ? 'is-active' : undefined }
					// Before the textarea loses focus.
					onMouseDown={ ( event ) => {
						event.preventDefault();
						onPick( candidate );
					} }
				>
					<span className="chatflows-inbox__mention-name">
						{ candidate.name }
					</span>
					<span className="chatflows-inbox__mention-kind">
						{ candidate.type === 'team'
							? __( 'Team', 'chatflows' )
							: __( 'Agent', 'chatflows' ) }
					</span>
				</li>
			) ) }
		</ul>
	);
}
