/**
 * The variables of saved replies, filled when an agent inserts one: written
 * once here, used by the inbox's picker and shown on the saved replies screen.
 * WordPress refuses texts with other `{names}` (its list is
 * `Saved_Replies::VARIABLES`, held equal to this one by the unit test).
 */
import type {
	ConversationContext,
	ConversationSummary,
} from '@chatflows/protocol';

export const VARIABLES = [
	'visitor_name',
	'visitor_email',
	'agent_name',
	'site_name',
	'page_url',
] as const;

export type VariableName = ( typeof VARIABLES )[ number ];

/** The values known for a conversation; missing or empty: unknown. */
export type VariableValues = Partial< Record< VariableName, string > >;

/**
 * What an unknown value leaves: a visible gap for the agent to fill in, never
 * the raw `{placeholder}`.
 */
export const GAP = '___';

/** A `{name}`, as WordPress's validation sees it. */
const VARIABLE_PATTERN = /\{([a-z][a-z_]*)\}/g;

export interface FilledText {
	text: string;
	/** Where the gaps are in `text`, in order. */
	gaps: Array< { start: number; end: number } >;
}

function isVariable( name: string ): name is VariableName {
	return ( VARIABLES as readonly string[] ).includes( name );
}

/**
 * A saved reply's text with its variables filled: known values in place,
 * a gap for each unknown one (and for a name that is no variable).
 *
 * @param template The saved reply's text.
 * @param values   The values known.
 * @return The text and where its gaps are.
 */
export function fillVariables(
	template: string,
	values: VariableValues
): FilledText {
	const gaps: FilledText[ 'gaps' ] = [];
	let text = '';
	let last = 0;
	for ( const match of template.matchAll( VARIABLE_PATTERN ) ) {
		const index = match.index ?? 0;
		text += template.slice( last, index );
		const value = isVariable( match[ 1 ] )
			? values[ match[ 1 ] ]?.trim()
			: undefined;
		if ( value ) {
			text += value;
		} else {
			gaps.push( { start: text.length, end: text.length + GAP.length } );
			text += GAP;
		}
		last = index + match[ 0 ].length;
	}
	return { text: text + template.slice( last ), gaps };
}

/**
 * The values the inbox knows for a conversation: the visitor's name and
 * e-mail (the contact's, else what they typed themselves, or nothing), the
 * name visitors see for the agent (the chatflow's alias, else the agent's
 * own), the site's name and the page the visitor is on.
 *
 * @param known              What the inbox has.
 * @param known.conversation The conversation.
 * @param known.context      Its context, once loaded.
 * @param known.agentName    The agent's own name.
 * @param known.alias        The chatflow's alias; '' for none.
 * @param known.siteName     The site's name.
 * @return The values.
 */
export function conversationValues( {
	conversation,
	context,
	agentName,
	alias,
	siteName,
}: {
	conversation: ConversationSummary;
	context?: ConversationContext | null;
	agentName: string;
	alias: string;
	siteName: string;
} ): VariableValues {
	return {
		visitor_name:
			context?.contact?.name ||
			conversation.visitorName ||
			context?.claim?.name ||
			'',
		visitor_email:
			context?.contact?.email ||
			conversation.visitorEmail ||
			context?.claim?.email ||
			'',
		agent_name: alias || agentName,
		site_name: siteName,
		page_url: context?.visitor.currentPage?.url || conversation.pageUrl,
	};
}
