/**
 * What a fault-injection run must leave behind, checked after every run:
 *
 * (a) every acknowledged message is stored exactly once, in the order typed,
 *     with no gaps in its conversation's numbering (read from the database);
 * (b) every client's view (each tab's `getState().messages`) equals the
 *     stored conversation;
 * (c) `conversation:resume` from any seq (sampled) answers exactly the stored
 *     messages after that seq, on every node;
 * (d) every agent's inbox (the real inbox store) shows what is stored: its
 *     conversation list and counts as a fresh page would list them on
 *     either node, each conversation's status, assignee and last message as
 *     in the database, the open conversation's messages exactly, and its
 *     replies stored once.
 */
import type {
	ChatMessage,
	ConversationSummary,
	InboxCounts,
} from '@chatflows/protocol';
import type { ClusterNode, StoredConversation, StoredMessage } from './cluster';
import type { AgentInbox } from './inbox-client';
import type { Tab, Visitor } from './scenario';

export interface CheckResult {
	name: string;
	ok: boolean;
	figures: Record< string, number >;
	/** A few violations, for the reader. */
	examples: string[];
}

const EXAMPLES = 5;

/**
 * (a) The database holds every acknowledged message once, in order, without gaps.
 *
 * @param visitors The visitors.
 * @param stored   Each visitor's conversation as stored.
 */
export function checkStorage(
	visitors: Visitor[],
	stored: Map< Visitor, StoredMessage[] >
): CheckResult {
	const figures = {
		conversations: 0,
		storedMessages: 0,
		acknowledged: 0,
		lost: 0,
		doubled: 0,
		changed: 0,
		reordered: 0,
		conversationsWithGaps: 0,
		splitOverConversations: 0,
	};
	const examples: string[] = [];
	const note = ( text: string ) =>
		examples.length < EXAMPLES && examples.push( text );
	for ( const visitor of visitors ) {
		const messages = stored.get( visitor ) ?? [];
		figures.acknowledged += visitor.acknowledged.size;
		if ( messages.length ) {
			figures.conversations++;
			figures.storedMessages += messages.length;
		}
		if (
			new Set(
				[ ...visitor.acknowledged.values() ].map(
					( m ) => m.conversationId
				)
			).size > 1
		) {
			figures.splitOverConversations++;
			note( `${ visitor.id }: acknowledged in several conversations` );
		}
		if (
			messages.some( ( message, index ) => message.seq !== index + 1 )
		) {
			figures.conversationsWithGaps++;
			note(
				`${ visitor.id }: seqs ${ messages
					.map( ( m ) => m.seq )
					.join( ',' )
					.slice( 0, 200 ) }`
			);
		}
		const byClientId = new Map< string, StoredMessage[] >();
		for ( const message of messages ) {
			byClientId.set( message.clientId, [
				...( byClientId.get( message.clientId ) ?? [] ),
				message,
			] );
		}
		for ( const copies of byClientId.values() ) {
			if ( copies.length > 1 ) {
				figures.doubled += copies.length - 1;
			}
		}
		for ( const [ clientId, acked ] of visitor.acknowledged ) {
			const copies = byClientId.get( clientId );
			if ( ! copies ) {
				figures.lost++;
				note(
					`${ visitor.id }: acknowledged ${ clientId } (seq ${ acked.seq }) not stored`
				);
			} else if (
				copies[ 0 ].seq !== acked.seq ||
				copies[ 0 ].body !== acked.body
			) {
				figures.changed++;
				note(
					`${ visitor.id }: acknowledged as seq ${ acked.seq }, stored as ${ copies[ 0 ].seq }`
				);
			}
		}
		// The outbox sends in the order typed: so must the seqs be.
		const typedIndex = new Map(
			visitor.typed.map( ( clientId, index ) => [ clientId, index ] )
		);
		let previous = -1;
		for ( const message of messages ) {
			const index = typedIndex.get( message.clientId );
			if ( index === undefined ) {
				continue;
			}
			if ( index < previous ) {
				figures.reordered++;
				note(
					`${ visitor.id }: seq ${ message.seq } typed earlier than the one before`
				);
			}
			previous = Math.max( previous, index );
		}
	}
	return {
		name: '(a) acknowledged messages stored once, in order, no gaps',
		ok:
			figures.lost +
				figures.doubled +
				figures.changed +
				figures.reordered +
				figures.conversationsWithGaps +
				figures.splitOverConversations ===
			0,
		figures,
		examples,
	};
}

/**
 * Whether a message a client holds is the stored one.
 *
 * @param held   The client's.
 * @param stored The database's.
 */
function same( held: ChatMessage, stored: StoredMessage | undefined ): boolean {
	return (
		!! stored &&
		held.seq === stored.seq &&
		held.clientId === stored.clientId &&
		held.body === stored.body &&
		held.conversationId === stored.conversationId
	);
}

/**
 * (b) Every tab shows exactly the stored conversation.
 *
 * @param tabs   Every tab.
 * @param stored Each visitor's conversation as stored.
 * @param when   When the views were read, for the report.
 */
export function checkClientViews(
	tabs: Tab[],
	stored: Map< Visitor, StoredMessage[] >,
	when: string
): CheckResult {
	const figures = {
		tabs: tabs.length,
		tabsDiffering: 0,
		secondTabs: 0,
		secondTabsDiffering: 0,
		messagesMissing: 0,
		mostMissingInOneTab: 0,
		messagesNotStored: 0,
		tabsNotConnected: 0,
	};
	const examples: string[] = [];
	for ( const tab of tabs ) {
		const isSecond = ! tab.id.endsWith( '/1' );
		if ( isSecond ) {
			figures.secondTabs++;
		}
		if ( ! tab.connected ) {
			figures.tabsNotConnected++;
		}
		const messages = stored.get( tab.visitor ) ?? [];
		const bySeq = new Map( messages.map( ( m ) => [ m.seq, m ] ) );
		const view = tab.chat.getState().messages;
		const held = new Set( view.map( ( m ) => m.seq ) );
		const missing = messages.filter( ( m ) => ! held.has( m.seq ) );
		const wrong = view.filter( ( m ) => ! same( m, bySeq.get( m.seq ) ) );
		if (
			missing.length ||
			wrong.length ||
			view.length !== messages.length
		) {
			figures.tabsDiffering++;
			if ( isSecond ) {
				figures.secondTabsDiffering++;
			}
			figures.messagesMissing += missing.length;
			figures.messagesNotStored += wrong.length;
			figures.mostMissingInOneTab = Math.max(
				figures.mostMissingInOneTab,
				missing.length
			);
			if ( examples.length < EXAMPLES ) {
				examples.push(
					`tab ${ tab.id }: shows ${ view.length } of ${ messages.length } stored; missing seqs ${ missing
						.map( ( m ) => m.seq )
						.join( ',' )
						.slice(
							0,
							120
						) }${ wrong.length ? `; ${ wrong.length } not as stored` : '' }`
				);
			}
		}
	}
	return {
		name: `(b) every tab shows the stored conversation (${ when })`,
		ok: figures.tabsDiffering === 0,
		figures,
		examples,
	};
}

/**
 * (c) `conversation:resume` from sampled seqs answers exactly the stored
 * messages after that seq, on every node.
 *
 * @param visitors The visitors.
 * @param stored   Each visitor's conversation as stored.
 * @param nodes    The nodes to ask.
 * @param resumeOn Asks a node for a visitor's messages after a seq (null: no answer).
 * @param rand     The run's random numbers.
 */
export async function checkResume(
	visitors: Visitor[],
	stored: Map< Visitor, StoredMessage[] >,
	nodes: ClusterNode[],
	resumeOn: (
		node: ClusterNode,
		session: string,
		afterSeq: number
	) => Promise< ChatMessage[] | null >,
	rand: () => number
): Promise< CheckResult > {
	const figures = { asked: 0, unanswered: 0, wrong: 0, nodes: nodes.length };
	const examples: string[] = [];
	const withConversation = visitors.filter(
		( visitor ) => ( stored.get( visitor ) ?? [] ).length && visitor.session
	);
	for ( const node of nodes ) {
		const sample = [ ...withConversation ]
			.sort( () => rand() - 0.5 )
			.slice( 0, 25 );
		await Promise.all(
			sample.map( async ( visitor, index ) => {
				const messages = stored.get( visitor ) ?? [];
				// From seq 0 (everything) for some, from anywhere for the rest.
				const afterSeq =
					index < 5
						? 0
						: Math.floor( rand() * ( messages.length + 1 ) );
				figures.asked++;
				const answer = await resumeOn(
					node,
					visitor.session as string,
					afterSeq
				);
				if ( ! answer ) {
					figures.unanswered++;
					return;
				}
				const expected = messages.filter( ( m ) => m.seq > afterSeq );
				if (
					answer.length !== expected.length ||
					answer.some( ( m, i ) => ! same( m, expected[ i ] ) )
				) {
					figures.wrong++;
					if ( examples.length < EXAMPLES ) {
						examples.push(
							`node ${ node.name }, ${ visitor.id } after seq ${ afterSeq }: ${ answer.length } messages, ${ expected.length } stored`
						);
					}
				}
			} )
		);
	}
	return {
		name: '(c) conversation:resume from any seq answers what is stored, on every node',
		ok: figures.unanswered + figures.wrong === 0 && figures.asked > 0,
		figures,
		examples,
	};
}

/** A fresh page's list on one node: what `inbox:list` answers now (null: no answer). */
export type FreshList = {
	conversations: ConversationSummary[];
	counts: InboxCounts;
} | null;

/**
 * What of a conversation summary the inbox shows and the check compares.
 * @param summary
 */
function shownOf( summary: ConversationSummary | undefined ) {
	return summary
		? {
				status: summary.status,
				assigneeId: summary.assigneeId ?? null,
				lastSeq: summary.lastMessage?.seq ?? 0,
				unreadCount: summary.unreadCount ?? 0,
				waitingSince: summary.waitingSince ?? null,
			}
		: null;
}

/**
 * (d) Every agent's inbox shows what is stored.
 *
 * @param agents        The agents.
 * @param messages      Every conversation's messages as stored.
 * @param conversations Every conversation as stored.
 * @param fresh         Each agent's fresh list, per node.
 * @param limit         The most conversations a list holds.
 * @param when          When the views were read, for the report.
 */
export function checkInboxViews(
	agents: AgentInbox[],
	messages: Map< string, StoredMessage[] >,
	conversations: Map< string, StoredConversation >,
	fresh: Map< AgentInbox, Map< string, FreshList > >,
	limit: number,
	when: string
): CheckResult {
	const figures = {
		agents: agents.length,
		agentsDiffering: 0,
		notConnected: 0,
		unanswered: 0,
		nodesDisagreeing: 0,
		countsDiffering: 0,
		listsDiffering: 0,
		conversationsShownWrong: 0,
		notAsStored: 0,
		openConversations: 0,
		openConversationsDiffering: 0,
		messagesMissing: 0,
		messagesNotStored: 0,
		repliesTyped: 0,
		repliesAcknowledged: 0,
		repliesLost: 0,
		repliesDoubled: 0,
		repliesNotStored: 0,
		repliesRefused: 0,
	};
	const examples: string[] = [];
	const note = ( text: string ) =>
		examples.length < EXAMPLES && examples.push( text );
	const storedByClientId = new Map< string, StoredMessage[] >();
	for ( const list of messages.values() ) {
		for ( const message of list ) {
			storedByClientId.set( message.clientId, [
				...( storedByClientId.get( message.clientId ) ?? [] ),
				message,
			] );
		}
	}
	for ( const agent of agents ) {
		const wrongBefore = JSON.stringify( figures );
		const view = agent.view;
		if ( ! agent.connected ) {
			figures.notConnected++;
		}
		const lists = [ ...( fresh.get( agent )?.entries() ?? [] ) ];
		const answered = lists.filter(
			( entry ): entry is [ string, NonNullable< FreshList > ] =>
				entry[ 1 ] !== null
		);
		figures.unanswered += lists.length - answered.length;
		const [ reference ] = answered;
		for ( const [ node, list ] of answered.slice( 1 ) ) {
			if (
				JSON.stringify( list.counts ) !==
					JSON.stringify( reference[ 1 ].counts ) ||
				JSON.stringify( list.conversations.map( shownOf ) ) !==
					JSON.stringify(
						reference[ 1 ].conversations.map( shownOf )
					)
			) {
				figures.nodesDisagreeing++;
				note(
					`agent ${ agent.userId }: nodes ${ reference[ 0 ] } and ${ node } list differently`
				);
			}
		}
		if ( reference ) {
			const list = reference[ 1 ];
			if (
				JSON.stringify( view.getCounts() ) !==
				JSON.stringify( list.counts )
			) {
				figures.countsDiffering++;
				note(
					`agent ${ agent.userId }: counts ${ JSON.stringify(
						view.getCounts()
					) }, listed ${ JSON.stringify( list.counts ) }`
				);
			}
			const shownIds = view
				.getViewConversations()
				.map( ( conversation ) => conversation.id );
			const listedIds = list.conversations.map( ( c ) => c.id );
			const shown = new Set( shownIds );
			// A full list must match; a truncated one must be shown.
			const complete = list.conversations.length < limit;
			if (
				listedIds.some( ( id ) => ! shown.has( id ) ) ||
				( complete && shownIds.length !== listedIds.length )
			) {
				figures.listsDiffering++;
				note(
					`agent ${ agent.userId }: shows ${ shownIds.length } conversations, listed ${ listedIds.length }`
				);
			}
			for ( const listed of list.conversations ) {
				const inStore = shownOf( view.getConversation( listed.id ) );
				const expected = shownOf( listed );
				if (
					JSON.stringify( inStore ) !== JSON.stringify( expected )
				) {
					figures.conversationsShownWrong++;
					note(
						`agent ${ agent.userId }, ${ listed.id }: shows ${ JSON.stringify(
							inStore
						) }, listed ${ JSON.stringify( expected ) }`
					);
				}
				const row = conversations.get( listed.id );
				if (
					! row ||
					row.status !== listed.status ||
					row.assigneeId !== ( listed.assigneeId ?? null ) ||
					row.lastSeq !== ( listed.lastMessage?.seq ?? 0 ) ||
					row.lastSeq !== ( messages.get( listed.id ) ?? [] ).length
				) {
					figures.notAsStored++;
					note(
						`agent ${ agent.userId }, ${ listed.id }: listed ${ JSON.stringify(
							expected
						) }, stored ${ JSON.stringify( row ) }`
					);
				}
			}
		}
		// The open conversation: exactly the stored messages.
		const open = view.getSelectedConversationId();
		if ( open ) {
			figures.openConversations++;
			const stored = messages.get( open ) ?? [];
			const held = view.getMessages( open );
			const seqs = new Set( held.map( ( m ) => m.seq ) );
			const missing = stored.filter( ( m ) => ! seqs.has( m.seq ) );
			if ( missing.length || held.length !== stored.length ) {
				figures.openConversationsDiffering++;
				figures.messagesMissing += missing.length;
				note(
					`agent ${ agent.userId }, open ${ open }: shows ${ held.length } of ${ stored.length } stored; missing seqs ${ missing
						.map( ( m ) => m.seq )
						.join( ',' )
						.slice( 0, 120 ) }`
				);
			}
		}
		// Any message held, open or not, is the stored one.
		for ( const [ conversationId, stored ] of messages ) {
			const bySeq = new Map( stored.map( ( m ) => [ m.seq, m ] ) );
			for ( const held of view.getMessages( conversationId ) ) {
				if ( ! same( held, bySeq.get( held.seq ) ) ) {
					figures.messagesNotStored++;
				}
			}
		}
		// Its replies: each typed one stored once, as acknowledged.
		figures.repliesTyped += agent.typed.length;
		figures.repliesAcknowledged += agent.acknowledged.size;
		figures.repliesRefused += Object.values( agent.refused ).reduce(
			( sum, n ) => sum + n,
			0
		);
		for ( const clientId of agent.typed ) {
			const copies = storedByClientId.get( clientId ) ?? [];
			const acked = agent.acknowledged.get( clientId );
			if ( copies.length > 1 ) {
				figures.repliesDoubled += copies.length - 1;
			}
			if ( ! copies.length ) {
				figures[ acked ? 'repliesLost' : 'repliesNotStored' ]++;
				note(
					`agent ${ agent.userId }: reply ${ clientId } not stored`
				);
			} else if ( acked && acked.seq !== copies[ 0 ].seq ) {
				figures.repliesLost++;
			}
		}
		if ( JSON.stringify( figures ) !== wrongBefore ) {
			// Anything but the tallies moved: this agent differs.
			const tallies = [
				'repliesTyped',
				'repliesAcknowledged',
				'repliesRefused',
				'openConversations',
				'agents',
			];
			const before = JSON.parse( wrongBefore );
			if (
				Object.entries( figures ).some(
					( [ key, value ] ) =>
						! tallies.includes( key ) && value !== before[ key ]
				)
			) {
				figures.agentsDiffering++;
			}
		}
	}
	return {
		name: `(d) every agent's inbox shows what is stored: list, counts, open conversation, replies (${ when })`,
		ok:
			figures.agentsDiffering === 0 &&
			figures.unanswered === 0 &&
			figures.agents > 0,
		figures,
		examples,
	};
}
