/**
 * The agent inbox: the agent's presence and load on top; views and
 * conversations on the left, the open one in the middle, the visitor's
 * context on the right.
 */
import { Button, Notice } from '@wordpress/components';
import { useSelect } from '@wordpress/data';
import { useCallback, useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import type { InboxView } from '@chatflows/protocol';
import { InboxConnection } from '../connection';
import {
	requestNotificationPermission,
	startNotifier,
	type NotifierEnvironment,
} from '../notifications';
import { startMentionNotifier } from '../mention-notifier';
import { store } from '../store';
import { MentionsButton, MentionsList } from './notes';
import { ContextPanel } from './context-panel';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';
import { EmptyState } from './placeholders';

/**
 * The column a phone-sized screen shows (wider screens show all three side
 * by side and ignore it).
 */
type NarrowPane = 'list' | 'conversation' | 'visitor';

function browserEnvironment(): NotifierEnvironment {
	return {
		document,
		Notification:
			typeof window.Notification === 'function'
				? window.Notification
				: undefined,
		focus: () => window.focus(),
	};
}

/**
 * Available / away, and the agent's open conversations against capacity.
 *
 * @param props            Props.
 * @param props.connection The live connection, once open.
 */
function PresenceBar( { connection }: { connection: InboxConnection | null } ) {
	const { myStatus, load, permission } = useSelect(
		( select ) => ( {
			myStatus: select( store ).getMyStatus(),
			load: select( store ).getMyLoad(),
			permission: select( store ).getNotificationPermission(),
		} ),
		[]
	);
	const [ error, setError ] = useState< string | null >( null );
	const away = myStatus === 'away';

	return (
		<div className="chatflows-inbox__presence">
			<span className="chatflows-inbox__status" role="status">
				{ away
					? __(
							'You are away: no new conversations are assigned to you.',
							'chatflows'
						)
					: __( 'You are available.', 'chatflows' ) }
			</span>
			<Button
				variant="secondary"
				disabled={ ! connection }
				onClick={ async () => {
					if ( connection ) {
						setError(
							await connection.setPresence(
								away ? 'available' : 'away'
							)
						);
					}
				} }
			>
				{ away
					? __( 'Set me available', 'chatflows' )
					: __( 'Set me away', 'chatflows' ) }
			</Button>
			{ load && (
				<span className="chatflows-inbox__load">
					{ sprintf(
						/* translators: 1: open conversations, 2: most at once. */
						__( '%1$d of %2$d open conversations', 'chatflows' ),
						load.open,
						load.capacity
					) }
				</span>
			) }
			{ permission === 'default' && (
				<Button
					variant="tertiary"
					onClick={ () =>
						requestNotificationPermission( browserEnvironment() )
					}
				>
					{ __( 'Notify me of new conversations', 'chatflows' ) }
				</Button>
			) }
			{ permission === 'granted' && (
				<span className="chatflows-inbox__notifications-on">
					{ __( 'Browser notifications are on.', 'chatflows' ) }
				</span>
			) }
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
		</div>
	);
}

export function InboxApp() {
	const [ connection, setConnection ] = useState< InboxConnection | null >(
		null
	);
	const { status, error, selectedId, showingMentions } = useSelect(
		( select ) => ( {
			...select( store ).getConnection(),
			selectedId: select( store ).getSelectedConversationId(),
			showingMentions: select( store ).isShowingMentions(),
		} ),
		[]
	);
	const [ pane, setPane ] = useState< NarrowPane >( 'list' );

	// Opening a conversation (from the list, a notification or the visitor's
	// earlier conversations) brings it to the front on a phone.
	useEffect( () => {
		setPane( selectedId ? 'conversation' : 'list' );
	}, [ selectedId ] );

	// The Mentions view is in the list's column: bring it to the front on a phone.
	useEffect( () => {
		if ( showingMentions ) {
			setPane( 'list' );
		}
	}, [ showingMentions ] );

	useEffect( () => {
		const stopNotifier = startNotifier( browserEnvironment() );
		const stopMentionNotifier =
			startMentionNotifier( browserEnvironment() );
		let opened: InboxConnection | null = null;
		let cancelled = false;
		InboxConnection.open().then( ( result ) => {
			opened = result;
			if ( cancelled ) {
				result?.disconnect();
			} else {
				setConnection( result );
			}
		} );
		return () => {
			cancelled = true;
			opened?.disconnect();
			stopNotifier();
			stopMentionNotifier();
		};
	}, [] );

	const showView = useCallback(
		( view: InboxView ) => void connection?.showView( view ),
		[ connection ]
	);
	const search = useCallback(
		( text: string ) => void connection?.search( text ),
		[ connection ]
	);
	const showInbox = useCallback(
		( inboxId: string | null ) => void connection?.showInbox( inboxId ),
		[ connection ]
	);

	return (
		<div className="chatflows-inbox">
			{ status === 'failed' && (
				<Notice status="error" isDismissible={ false }>
					{ error ??
						__(
							'Could not connect to the chat service.',
							'chatflows'
						) }
				</Notice>
			) }
			{ status === 'reconnecting' && (
				<Notice status="warning" isDismissible={ false }>
					{ __( 'Reconnecting to the chat service…', 'chatflows' ) }
				</Notice>
			) }
			<PresenceBar connection={ connection } />
			<div
				className="chatflows-inbox__columns"
				data-narrow-pane={ selectedId ? pane : 'list' }
			>
				<div className="chatflows-inbox__sidebar" data-pane="list">
					<MentionsButton />
					{ showingMentions ? (
						<MentionsList
							connection={ connection }
							onOpen={ () => setPane( 'conversation' ) }
						/>
					) : (
						<ConversationList
							showView={ showView }
							search={ search }
							showInbox={ showInbox }
							onOpen={ () => setPane( 'conversation' ) }
						/>
					) }
				</div>
				<div className="chatflows-inbox__main" data-pane="conversation">
					{ selectedId && (
						<div className="chatflows-inbox__pane-nav">
							<Button
								variant="tertiary"
								icon="arrow-left-alt2"
								onClick={ () => setPane( 'list' ) }
							>
								{ __( 'All conversations', 'chatflows' ) }
							</Button>
							<Button
								variant="tertiary"
								onClick={ () => setPane( 'visitor' ) }
							>
								{ __( 'About the visitor', 'chatflows' ) }
							</Button>
						</div>
					) }
					{ connection && selectedId ? (
						<ConversationView
							conversationId={ selectedId }
							connection={ connection }
						/>
					) : (
						<EmptyState
							title={ __( 'No conversation open.', 'chatflows' ) }
						>
							<p>
								{ __(
									'Choose a conversation on the left to read and answer it. Unassigned ones are waiting for someone to take them.',
									'chatflows'
								) }
							</p>
						</EmptyState>
					) }
				</div>
				<div
					className="chatflows-inbox__visitor-column"
					data-pane="visitor"
				>
					{ selectedId && (
						<div className="chatflows-inbox__pane-nav">
							<Button
								variant="tertiary"
								icon="arrow-left-alt2"
								onClick={ () => setPane( 'conversation' ) }
							>
								{ __(
									'Back to the conversation',
									'chatflows'
								) }
							</Button>
						</div>
					) }
					{ connection && selectedId ? (
						<ContextPanel
							conversationId={ selectedId }
							connection={ connection }
						/>
					) : (
						<EmptyState
							title={ __( 'About the visitor', 'chatflows' ) }
						>
							<p>
								{ __(
									'Open a conversation to see who the visitor is, the page they are on, their consents and their earlier conversations.',
									'chatflows'
								) }
							</p>
						</EmptyState>
					) }
				</div>
			</div>
		</div>
	);
}
