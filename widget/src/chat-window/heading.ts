/**
 * Who the visitor sees in the heading and as the author of agents' messages,
 * per the chatflow's heading settings.
 */
import { initialsOf } from '@chatflows/chat-ui';
import { type ChatMessage } from '@chatflows/protocol';
import type { PublicChatflowSettings, WidgetTexts } from '../page-settings';

export interface HeadingView {
	name: string;
	/** An image to show; '' to show the name's initials instead. */
	imageUrl: string;
	/** Up to two letters for the avatar without an image; '' for no avatar. */
	initials: string;
}

type Heading = PublicChatflowSettings[ 'heading' ] | undefined;

/**
 * The custom branding's name when the chatflow uses it as the agents' alias.
 *
 * @param heading The chatflow's heading settings.
 */
function alias( heading: Heading ): string {
	return heading?.mode === 'custom_branding' &&
		heading.useAsAlias &&
		heading.teamName.trim()
		? heading.teamName.trim()
		: '';
}

/**
 * The heading: custom branding shows its name and image; otherwise the agent
 * who answers (the last to write); until one does, the chosen users and teams
 * (the first one's avatar), else the window's default heading.
 *
 * @param heading  The chatflow's heading settings.
 * @param texts    The widget's texts.
 * @param messages The conversation's messages.
 */
export function headingView(
	heading: Heading,
	texts: WidgetTexts,
	messages: ChatMessage[]
): HeadingView {
	if ( heading?.mode === 'custom_branding' ) {
		const name = heading.teamName.trim() || texts.heading;
		return {
			name,
			imageUrl: heading.imageUrl,
			initials: heading.teamName.trim() ? initialsOf( name ) : '',
		};
	}
	const agent = [ ...messages ]
		.reverse()
		.find(
			( message ) =>
				message.authorType === 'agent' && message.authorName.trim()
		);
	return agent
		? {
				name: agent.authorName,
				imageUrl: '',
				initials: initialsOf( agent.authorName ),
			}
		: chosenPeople( heading, texts );
}

/**
 * The chosen users and teams of a "specific users and teams" heading.
 *
 * @param heading The chatflow's heading settings.
 * @param texts   The widget's texts.
 */
function chosenPeople( heading: Heading, texts: WidgetTexts ): HeadingView {
	const people = heading?.people ?? [];
	if ( heading?.mode !== 'users_and_teams' || ! people.length ) {
		return { name: texts.heading, imageUrl: '', initials: '' };
	}
	return {
		name: people.map( ( person ) => person.name ).join( ', ' ),
		imageUrl: people[ 0 ].imageUrl,
		initials: initialsOf( people[ 0 ].name ),
	};
}

/**
 * The author a message shows.
 *
 * @param message A message.
 * @param heading The chatflow's heading settings.
 * @param texts   The widget's texts.
 */
export function authorOf(
	message: ChatMessage,
	heading: Heading,
	texts: WidgetTexts
): string {
	if ( message.authorType === 'visitor' ) {
		return texts.you;
	}
	if ( message.authorType === 'agent' && alias( heading ) ) {
		return alias( heading );
	}
	return message.authorName || texts.team;
}

/**
 * Who the typing indicator names: the alias, the last agent who wrote, or the team.
 *
 * @param heading  The chatflow's heading settings.
 * @param texts    The widget's texts.
 * @param messages The conversation's messages.
 */
export function typistOf(
	heading: Heading,
	texts: WidgetTexts,
	messages: ChatMessage[]
): string {
	if ( alias( heading ) ) {
		return alias( heading );
	}
	const agent = [ ...messages ]
		.reverse()
		.find( ( message ) => message.authorType === 'agent' );
	return agent?.authorName || texts.team;
}
