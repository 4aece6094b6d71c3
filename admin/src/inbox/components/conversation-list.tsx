/**
 * The inbox's list of conversations.
 */
import { useDispatch, useSelect } from '@wordpress/data';
import { __, sprintf } from '@wordpress/i18n';

import type { ConversationSummary } from '../../../../server/src/contract/events';
import { store } from '../store';

/**
 * How a visitor is named until they give their name or e-mail.
 *
 * @param conversation Conversation.
 */
export function visitorLabel( conversation: ConversationSummary ): string {
	return sprintf(
		/* translators: %s: a short identifier of an anonymous visitor. */
		__( 'Visitor %s', 'chatflows' ),
		conversation.visitorId.slice( 0, 6 )
	);
}

export function ConversationList() {
	const { conversations, selectedId } = useSelect(
		( select ) => ( {
			conversations: select( store ).getConversations(),
			selectedId: select( store ).getSelectedConversationId(),
		} ),
		[]
	);
	const { selectConversation } = useDispatch( store );

	if ( conversations.length === 0 ) {
		return (
			<p className="chatflows-inbox__empty">
				{ __( 'No conversations yet.', 'chatflows' ) }
			</p>
		);
	}

	return (
		<ul
			className="chatflows-inbox__list"
			aria-label={ __( 'Conversations', 'chatflows' ) }
		>
			{ conversations.map( ( conversation ) => (
				<li key={ conversation.id }>
					<button
						type="button"
						className="chatflows-inbox__item"
						aria-current={
							conversation.id === selectedId ? 'true' : undefined
						}
						onClick={ () => selectConversation( conversation.id ) }
					>
						<strong>{ visitorLabel( conversation ) }</strong>
						<span className="chatflows-inbox__preview">
							{ conversation.lastMessage?.body ?? '' }
						</span>
					</button>
				</li>
			) ) }
		</ul>
	);
}
