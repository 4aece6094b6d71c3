/**
 * Entry of the Chatflows → Chatflows page.
 */
import domReady from '@wordpress/dom-ready';
import { render } from '@wordpress/element';

import { ChatflowsApp } from './components/chatflows-app';
import './chatflows.css';

domReady( () => {
	const root = document.getElementById( 'chatflows-chatflows' );
	if ( root ) {
		// `render` rather than `createRoot`: WordPress 6.1 ships React 17.
		render( <ChatflowsApp />, root );
	}
} );
