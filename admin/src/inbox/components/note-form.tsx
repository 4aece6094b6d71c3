/**
 * The note box: an internal note only agents see, with `@` mentions of
 * agents and teams. Enter sends, Shift+Enter breaks the line; while the
 * mention picker is open, arrows choose and Enter or Tab picks.
 */
import { Button, Notice } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type { MentionTarget } from '@chatflows/protocol';
import {
	MentionPicker,
	matchingCandidates,
	mentionQueryAt,
	type MentionCandidate,
} from './mention-picker';

/** Numbers the note boxes on the page, for their element ids. */
let noteForms = 0;

interface NoteFormProps {
	/** Agents and teams that can be mentioned. */
	candidates: MentionCandidate[];
	/** Resolves null once stored, or the reason it was not. */
	onSend: (
		body: string,
		mentions: MentionTarget[]
	) => Promise< string | null >;
	/** Called on every change of the text (for "writing a note"). */
	onTyping?: ( typing: boolean ) => void;
}

/**
 * The mentions still named in the text (a name deleted is no mention).
 *
 * @param body   The note.
 * @param picked What was picked.
 * @return Each once.
 */
export function mentionsIn(
	body: string,
	picked: MentionCandidate[]
): MentionTarget[] {
	const seen = new Set< string >();
	const mentions: MentionTarget[] = [];
	for ( const candidate of picked ) {
		const key = `${ candidate.type }:${ candidate.id }`;
		if ( ! seen.has( key ) && body.includes( `@${ candidate.name }` ) ) {
			seen.add( key );
			mentions.push( { type: candidate.type, id: candidate.id } );
		}
	}
	return mentions;
}

/**
 * The note box.
 *
 * @param props            Props.
 * @param props.candidates Whom a note can mention.
 * @param props.onSend     Stores the note.
 * @param props.onTyping   "Writing a note" for the other agents.
 */
export function NoteForm( { candidates, onSend, onTyping }: NoteFormProps ) {
	const [ id ] = useState( () => `chatflows-note-${ ++noteForms }` );
	const [ draft, setDraft ] = useState( '' );
	const [ caret, setCaret ] = useState( 0 );
	const [ picked, setPicked ] = useState< MentionCandidate[] >( [] );
	const [ active, setActive ] = useState( 0 );
	const [ dismissed, setDismissed ] = useState( false );
	const [ error, setError ] = useState< string | null >( null );
	const [ busy, setBusy ] = useState( false );

	const query = dismissed ? null : mentionQueryAt( draft, caret );
	const matches = query ? matchingCandidates( candidates, query.query ) : [];

	const pick = ( candidate: MentionCandidate ) => {
		if ( ! query ) {
			return;
		}
		const inserted = `@${ candidate.name } `;
		const next =
			draft.slice( 0, query.start ) + inserted + draft.slice( caret );
		setDraft( next );
		setCaret( query.start + inserted.length );
		setPicked( [ ...picked, candidate ] );
		setActive( 0 );
	};

	const send = async () => {
		const body = draft.trim();
		if ( ! body || busy ) {
			return;
		}
		setBusy( true );
		const failure = await onSend( body, mentionsIn( body, picked ) );
		setBusy( false );
		setError( failure );
		if ( ! failure ) {
			setDraft( '' );
			setPicked( [] );
		}
	};

	return (
		<form
			className="chatflows-inbox__reply chatflows-inbox__note-form"
			onSubmit={ ( event ) => {
				event.preventDefault();
				void send();
			} }
		>
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			<label className="chatflows-inbox__note-label" htmlFor={ id }>
				{ __( 'Internal note', 'chatflows' ) }
			</label>
			<p className="chatflows-inbox__note-help" id={ `${ id }-help` }>
				{ __(
					'Only your team sees notes; the visitor never does. Type @ to mention an agent or a team.',
					'chatflows'
				) }
			</p>
			<textarea
				id={ id }
				className="components-textarea-control__input chatflows-inbox__note-input"
				rows={ 3 }
				value={ draft }
				aria-describedby={ `${ id }-help` }
				aria-autocomplete="list"
				aria-controls={ query ? `${ id }-mentions` : undefined }
				aria-activedescendant={
					query && matches.length > 0
						? `${ id }-mentions-${ active }`
						: undefined
				}
				onChange={ ( event ) => {
					setDraft( event.target.value );
					setCaret( event.target.selectionStart ?? 0 );
					setDismissed( false );
					setActive( 0 );
					onTyping?.( event.target.value.trim() !== '' );
				} }
				onSelect={ ( event ) =>
					setCaret( event.currentTarget.selectionStart ?? 0 )
				}
				onKeyDown={ ( event ) => {
					if ( query && matches.length > 0 ) {
						if ( event.key === 'ArrowDown' ) {
							event.preventDefault();
							setActive( ( active + 1 ) % matches.length );
							return;
						}
						if ( event.key === 'ArrowUp' ) {
							event.preventDefault();
							setActive(
								( active - 1 + matches.length ) % matches.length
							);
							return;
						}
						if (
							( event.key === 'Enter' || event.key === 'Tab' ) &&
							! event.shiftKey
						) {
							event.preventDefault();
							pick(
								matches[
									Math.min( active, matches.length - 1 )
								]
							);
							return;
						}
					}
					if ( query && event.key === 'Escape' ) {
						event.preventDefault();
						setDismissed( true );
						return;
					}
					if (
						event.key === 'Enter' &&
						! event.shiftKey &&
						! event.nativeEvent.isComposing
					) {
						event.preventDefault();
						void send();
					}
				} }
			/>
			{ query && (
				<MentionPicker
					id={ `${ id }-mentions` }
					candidates={ matches }
					active={ active }
					onPick={ pick }
				/>
			) }
			<Button
				variant="primary"
				type="submit"
				isBusy={ busy }
				disabled={ busy }
				className="chatflows-inbox__note-send"
			>
				{ __( 'Add note', 'chatflows' ) }
			</Button>
		</form>
	);
}
