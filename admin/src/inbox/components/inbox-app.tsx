/**
 * The agent inbox: conversations on the left, the open one on the right.
 */
import { Notice, Spinner } from '@wordpress/components';
import { useSelect } from '@wordpress/data';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { InboxConnection } from '../connection';
import { store } from '../store';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';

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
		let opened: InboxConnection | null = null;
		let cancelled = false;
		InboxConnection.open().then( ( result ) => {
			opened = result;
			if ( cancelled ) {
				result?.close();
			} else {
				setConnection( result );
			}
		} );
		return () => {
			cancelled = true;
			opened?.close();
		};
	}, [] );

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
			<div className="chatflows-inbox__columns">
				<nav
					className="chatflows-inbox__sidebar"
					aria-label={ __( 'Conversations', 'chatflows' ) }
				>
					<ConversationList />
				</nav>
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
			</div>
		</div>
	);
}
