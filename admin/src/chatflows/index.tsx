/**
 * Entry of the Chatflows → Chatflows page.
 */
import domReady from '@wordpress/dom-ready';

import { mountApp } from '../components/mount';
import { ChatflowsApp } from './components/chatflows-app';
import './chatflows.css';

domReady( () => {
	const root = document.getElementById( 'chatflows-chatflows' );
	if ( root ) {
		mountApp( <ChatflowsApp />, root );
	}
} );
