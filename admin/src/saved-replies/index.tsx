/**
 * Entry of the Chatflows → Saved replies page.
 */
import domReady from '@wordpress/dom-ready';

import { mountApp } from '../components/mount';
import {
	SavedRepliesApp,
	type SavedRepliesPageData,
} from './components/saved-replies-app';
import '../chatflows/chatflows.css';

domReady( () => {
	const root = document.getElementById( 'chatflows-saved-replies' );
	const page = (
		window as unknown as { chatflowsSavedReplies?: SavedRepliesPageData }
	 ).chatflowsSavedReplies ?? { canManage: false, inboxes: [] };
	if ( root ) {
		mountApp( <SavedRepliesApp page={ page } />, root );
	}
} );
