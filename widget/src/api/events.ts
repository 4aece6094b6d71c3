/**
 * The events of the public JS API, with HubSpot's names and payloads.
 */

/** Events a page can listen to with `ChatflowsConversations.on()`. */
export interface ChatflowsEventPayloads {
	widgetLoaded: Record< string, never >;
	widgetClosed: Record< string, never >;
	conversationStarted: { conversation: { conversationId: string } };
	conversationClosed: { conversation: { conversationId: string } };
	unreadConversationCountChanged: { unreadCount: number };
	contactAssociated: Record< string, never >;
	userInteractedWithWidget: Record< string, never >;
}

export type ChatflowsEventName = keyof ChatflowsEventPayloads;

export type ChatflowsListener< Name extends ChatflowsEventName > = (
	payload: ChatflowsEventPayloads[ Name ]
) => void;

/** Subscribes, unsubscribes and emits; a listener that throws never stops the widget or other listeners. */
export interface ChatflowsEvents {
	on: < Name extends ChatflowsEventName >(
		name: Name,
		listener: ChatflowsListener< Name >
	) => void;
	off: < Name extends ChatflowsEventName >(
		name: Name,
		listener: ChatflowsListener< Name >
	) => void;
	emit: < Name extends ChatflowsEventName >(
		name: Name,
		payload: ChatflowsEventPayloads[ Name ]
	) => void;
}

/** A new, empty set of listeners. */
export function createEvents(): ChatflowsEvents {
	const listeners = new Map< string, Set< ( payload: never ) => void > >();
	return {
		on( name, listener ) {
			if ( ! listeners.has( name ) ) {
				listeners.set( name, new Set() );
			}
			listeners.get( name )!.add( listener );
		},
		off( name, listener ) {
			listeners.get( name )?.delete( listener );
		},
		emit( name, payload ) {
			listeners.get( name )?.forEach( ( listener ) => {
				try {
					( listener as ( value: typeof payload ) => void )(
						payload
					);
				} catch ( error ) {
					// Reported like any error of the page's own code, after the widget is done.
					setTimeout( () => {
						throw error;
					} );
				}
			} );
		},
	};
}
