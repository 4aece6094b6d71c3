/**
 * Entry of the Chatflows → Inbox page.
 */
import domReady from '@wordpress/dom-ready';

import { mountApp } from '../components/mount';
import { InboxApp } from './components/inbox-app';
import './inbox.css';

domReady( () => {
	const root = document.getElementById( 'chatflows-inbox' );
	if ( root ) {
		mountApp( <InboxApp />, root );
	}
} );
