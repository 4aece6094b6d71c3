/**
 * The list the reply box shows after `/`: saved replies (shortcut, name,
 * language, the start of the text as it would go in) and articles of the knowledge base. The
 * textarea keeps the focus and points at the active option
 * (`aria-activedescendant`); a click inserts too.
 */
import { __, _n, sprintf } from '@wordpress/i18n';

import { textLanguageName } from '../../components/text-languages';
import type { SavedReplyPicker } from '../use-saved-reply-picker';

/** Characters of a reply's text shown in the list. */
const PREVIEW_LENGTH = 90;

function preview( text: string ): string {
	const line = text.replace( /\s+/g, ' ' ).trim();
	return line.length > PREVIEW_LENGTH
		? `${ line.slice( 0, PREVIEW_LENGTH - 1 ) }…`
		: line;
}

/**
 * The picker, when open; the note about gaps left otherwise.
 *
 * @param props        Props.
 * @param props.picker The picker's state, from useSavedReplyPicker.
 */
export function SavedReplyPickerList( {
	picker,
}: {
	picker: SavedReplyPicker;
} ) {
	let status = '';
	if ( picker.open ) {
		status = picker.options.length
			? sprintf(
					/* translators: %d: number of saved replies and articles offered. */
					_n(
						'%d suggestion. Up and down arrows to choose, Enter to insert, Escape to close.',
						'%d suggestions. Up and down arrows to choose, Enter to insert, Escape to close.',
						picker.options.length,
						'chatflows'
					),
					picker.options.length
				)
			: __( 'No saved reply matches. Escape closes.', 'chatflows' );
	} else if ( picker.leftGaps ) {
		status = __(
			'Some values are not known: fill in the gaps (___) before sending.',
			'chatflows'
		);
	}
	return (
		<div className="chatflows-inbox__picker">
			{ picker.open && picker.options.length > 0 && (
				<ul
					id={ picker.listboxId }
					role="listbox"
					aria-label={ __( 'Saved replies', 'chatflows' ) }
					className="chatflows-inbox__picker-list"
				>
					{ picker.options.map( ( option, index ) => (
						// The textarea keeps the focus: keys reach the list through it; a click inserts.
						// eslint-disable-next-line jsx-a11y/click-events-have-key-events
						<li
							key={ option.id }
							id={ option.id }
							role="option"
							aria-selected={ index === picker.active }
							className={ `chatflows-inbox__picker-option${
								index === picker.active ? ' is-active' : ''
							}` }
							// Keeps the focus in the textarea.
							onMouseDown={ ( event ) => event.preventDefault() }
							onClick={ () => picker.insert( option ) }
						>
							{ option.kind === 'reply' ? (
								<>
									<span className="chatflows-inbox__picker-title">
										<kbd>/{ option.reply.shortcut }</kbd>{ ' ' }
										{ option.reply.name }
										<span className="chatflows-inbox__picker-language">
											{ textLanguageName(
												option.reply.language
											) }
										</span>
									</span>
									<span className="chatflows-inbox__picker-preview">
										{ preview(
											picker.filledText( option.reply )
										) }
									</span>
								</>
							) : (
								<>
									<span className="chatflows-inbox__picker-title">
										{ sprintf(
											/* translators: %s: title of an article of the knowledge base. */
											__( 'Article: %s', 'chatflows' ),
											option.article.title
										) }
									</span>
									<span className="chatflows-inbox__picker-preview">
										{ option.article.url }
									</span>
								</>
							) }
						</li>
					) ) }
				</ul>
			) }
			<p
				role="status"
				className={
					picker.open && picker.options.length > 0
						? 'screen-reader-text'
						: 'chatflows-inbox__picker-note'
				}
			>
				{ status }
			</p>
		</div>
	);
}
