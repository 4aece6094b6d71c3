/**
 * The agent inbox: the agent's presence and load on top; views and
 * conversations on the left, the open one in the middle, the visitor's
 * context on the right.
 */
import { Button, Notice, Spinner } from '@wordpress/components';
import { useSelect } from '@wordpress/data';
import { useCallback, useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import type { InboxView } from '../../../../server/src/contract/events';
import { InboxConnection } from '../connection';
import {
	requestNotificationPermission,
	startNotifier,
	type NotifierEnvironment,
} from '../notifications';
import { store } from '../store';
import { ContextPanel } from './context-panel';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';

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
	const { status, error, selectedId } = useSelect(
		( select ) => ( {
			...select( store ).getConnection(),
			selectedId: select( store ).getSelectedConversationId(),
		} ),
		[]
	);

	useEffect( () => {
		const stopNotifier = startNotifier( browserEnvironment() );
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
			{ status === 'connecting' && <Spinner /> }
			<PresenceBar connection={ connection } />
			<div className="chatflows-inbox__columns">
				<div className="chatflows-inbox__sidebar">
					<ConversationList
						showView={ showView }
						search={ search }
						showInbox={ showInbox }
					/>
				</div>
				<div className="chatflows-inbox__main">
					{ connection && selectedId ? (
						<ConversationView
							conversationId={ selectedId }
							connection={ connection }
						/>
					) : (
						<p>
							{ __(
								'Select a conversation to read and answer it.',
								'chatflows'
							) }
						</p>
					) }
				</div>
				{ connection && selectedId && (
					<ContextPanel
						conversationId={ selectedId }
						connection={ connection }
					/>
				) }
			</div>
		</div>
	);
}
