/**
 * The Chatflows page: the list, the set-up wizard (also shown when there is
 * no chatflow yet) and the editor, switched through the address bar.
 */
import { Notice, Spinner } from '@wordpress/components';
import { useSelect } from '@wordpress/data';
import { __ } from '@wordpress/i18n';

import { useRoute } from '../navigation';
import { store } from '../store';
import { ChatflowList } from './chatflow-list';
import { ChatflowEditor } from './editor';
import { SetupWizard } from './wizard';

export function ChatflowsApp() {
	const route = useRoute();
	const { chatflows, failed } = useSelect(
		( select ) => ( {
			chatflows: select( store ).getChatflows(),
			failed: select( store ).hasResolutionFailed( 'getChatflows', [] ),
		} ),
		[]
	);

	if ( route.view === 'edit' ) {
		return <ChatflowEditor id={ route.id } />;
	}
	if ( failed ) {
		return (
			<Notice status="error" isDismissible={ false }>
				{ __( 'The chatflows could not be loaded.', 'chatflows' ) }
			</Notice>
		);
	}
	if ( ! chatflows ) {
		return <Spinner />;
	}
	if ( route.view === 'new' || chatflows.length === 0 ) {
		return <SetupWizard isFirst={ chatflows.length === 0 } />;
	}
	return <ChatflowList />;
}
