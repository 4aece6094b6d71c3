/**
 * The inbox's views with their counts, the search, and the conversations of
 * the view shown (longest wait first).
 */
import { Button } from '@wordpress/components';
import { SelectControl, TextControl } from '@chatflows/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { useEffect, useState } from '@wordpress/element';
import { __, _x, sprintf } from '@wordpress/i18n';

import type { InboxView } from '@chatflows/protocol';
import { visitorLabel } from '../notifications';
import { store } from '../store';
import { Avatar } from './avatar';
import { EmptyState, Skeleton } from './placeholders';

/** How long after the last keystroke the search runs. */
const SEARCH_DELAY_MS = 300;

interface ConversationListProps {
	showView: ( view: InboxView ) => void;
	search: ( text: string ) => void;
	showInbox: ( inboxId: string | null ) => void;
	/** Called when the agent opens a conversation (a phone then shows it). */
	onOpen?: () => void;
}

function viewLabel( view: InboxView ): string {
	switch ( view ) {
		case 'unassigned':
			return _x( 'Unassigned', 'inbox view', 'chatflows' );
		case 'mine':
			return _x( 'Mine', 'inbox view', 'chatflows' );
		case 'closed':
			return _x( 'Closed', 'inbox view', 'chatflows' );
		default:
			return _x( 'All open', 'inbox view', 'chatflows' );
	}
}

const VIEWS: InboxView[] = [ 'unassigned', 'mine', 'open', 'closed' ];

/**
 * The sidebar: views, search, conversations.
 *
 * @param props           Props.
 * @param props.showView  Shows another view.
 * @param props.search    Searches.
 * @param props.showInbox Narrows to one inbox.
 * @param props.onOpen    Called when a conversation is opened.
 */
export function ConversationList( {
	showView,
	search,
	showInbox,
	onOpen,
}: ConversationListProps ) {
	const {
		conversations,
		selectedId,
		view,
		counts,
		directory,
		inboxId,
		failed,
	} = useSelect(
		( select ) => ( {
			conversations: select( store ).getViewConversations(),
			selectedId: select( store ).getSelectedConversationId(),
			view: select( store ).getView(),
			counts: select( store ).getCounts(),
			directory: select( store ).getDirectory(),
			inboxId: select( store ).getInboxId(),
			failed: select( store ).getConnection().status === 'failed',
		} ),
		[]
	);
	const { selectConversation } = useDispatch( store );
	const [ text, setText ] = useState( '' );

	useEffect( () => {
		const timer = setTimeout( () => search( text ), SEARCH_DELAY_MS );
		return () => clearTimeout( timer );
	}, [ text, search ] );

	const agentName = ( id: string ) =>
		directory?.agents.find( ( agent ) => agent.id === id )?.name ?? id;

	return (
		<>
			<div
				className="chatflows-inbox__views"
				role="group"
				aria-label={ __( 'Views', 'chatflows' ) }
			>
				{ VIEWS.map( ( each ) => (
					<Button
						key={ each }
						variant={ each === view ? 'primary' : 'secondary' }
						aria-pressed={ each === view }
						onClick={ () => showView( each ) }
					>
						{ viewLabel( each ) }
						<span className="chatflows-inbox__count">
							{ counts ? counts[ each ] : '–' }
						</span>
					</Button>
				) ) }
			</div>
			{ directory && directory.inboxes.length > 1 && (
				<SelectControl
					className="chatflows-inbox__inbox"
					label={ __( 'Inbox', 'chatflows' ) }
					value={ inboxId ?? '' }
					options={ [
						{
							value: '',
							label: __( 'All my inboxes', 'chatflows' ),
						},
						...directory.inboxes.map( ( inbox ) => ( {
							value: inbox.id,
							label: inbox.name,
						} ) ),
					] }
					onChange={ ( value: string ) =>
						showInbox( value === '' ? null : value )
					}
				/>
			) }
			<TextControl
				className="chatflows-inbox__search"
				label={ __( 'Search by e-mail or message', 'chatflows' ) }
				type="search"
				value={ text }
				onChange={ setText }
			/>
			<nav aria-label={ __( 'Conversations', 'chatflows' ) }>
				{ conversations.length === 0 && ! counts && failed && (
					<EmptyState
						title={ __(
							'Conversations show once the inbox is connected.',
							'chatflows'
						) }
					>
						<p>
							{ __(
								'Reload the page in a moment; if it keeps failing, ask your site administrator to check the chat service.',
								'chatflows'
							) }
						</p>
					</EmptyState>
				) }
				{ conversations.length === 0 && ! counts && ! failed && (
					<Skeleton
						shape="list"
						rows={ 4 }
						label={ __( 'Loading conversations…', 'chatflows' ) }
					/>
				) }
				{ conversations.length === 0 &&
					counts &&
					( counts.open + counts.closed === 0 && text === '' ? (
						<EmptyState
							title={ __( 'No conversations yet.', 'chatflows' ) }
						>
							<p>
								{ __(
									'When a visitor starts a chat on your site, it shows up here and you are notified. Stay available to get it.',
									'chatflows'
								) }
							</p>
						</EmptyState>
					) : (
						<EmptyState
							title={ __(
								'No conversations here.',
								'chatflows'
							) }
						>
							{ text !== '' ? (
								<Button
									variant="link"
									onClick={ () => setText( '' ) }
								>
									{ __( 'Clear the search', 'chatflows' ) }
								</Button>
							) : (
								view !== 'open' && (
									<Button
										variant="link"
										onClick={ () => showView( 'open' ) }
									>
										{ __(
											'Show all open conversations',
											'chatflows'
										) }
									</Button>
								)
							) }
						</EmptyState>
					) ) }
				{ conversations.length > 0 && (
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
										conversation.id === selectedId
											? 'true'
											: undefined
									}
									onClick={ () => {
										selectConversation( conversation.id );
										onOpen?.();
									} }
								>
									<Avatar
										name={ visitorLabel( conversation ) }
									/>
									<span className="chatflows-inbox__item-text">
										<strong className="chatflows-inbox__visitor">
											{ visitorLabel( conversation ) }
										</strong>
										<span className="chatflows-inbox__preview">
											{ conversation.lastMessage?.body ??
												'' }
										</span>
										<span className="chatflows-inbox__meta">
											{ conversation.assigneeId
												? sprintf(
														/* translators: %s: agent's name. */
														__(
															'With %s',
															'chatflows'
														),
														agentName(
															conversation.assigneeId
														)
													)
												: __(
														'Unassigned',
														'chatflows'
													) }
											{ conversation.waitingSince &&
												' · ' +
													__(
														'Waiting',
														'chatflows'
													) }
											{ ( conversation.unreadCount ??
												0 ) > 0 &&
												' · ' +
													sprintf(
														/* translators: %d: number of unread messages. */
														__(
															'%d unread',
															'chatflows'
														),
														conversation.unreadCount ??
															0
													) }
										</span>
									</span>
								</button>
							</li>
						) ) }
					</ul>
				) }
			</nav>
		</>
	);
}
