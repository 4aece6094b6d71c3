/**
 * The groups of settings, shared by the set-up wizard's steps and the
 * editor's tabs.
 */
import apiFetch from '@wordpress/api-fetch';
import { Button, Spinner } from '@wordpress/components';
import { useSelect } from '@wordpress/data';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { store } from '../store';
import { getAtPath } from '../form/dirty';
import { errorsUnder } from '../form/field-errors';
import { SUBSCRIPTION_TYPES } from '../../components/subscription-types';
import { timeOnPageHint } from '../form/validation';
import {
	CheckboxField,
	errorAttributes,
	FieldError,
	FieldGroup,
	LocalizedTextField,
	NumberField,
	RadioField,
	SelectField,
	TextField,
	ToggleField,
	useChatflowForm,
	useFieldError,
} from './form-context';
import { IdCheckboxes } from '../../components/id-checkboxes';
import { OfficeHoursEditor } from './office-hours-editor';
import { inboxName } from '../../components/inbox-name';
import {
	ticketPipelineOptions,
	ticketPriorityOptions,
	ticketStatusOptions,
} from '../../components/ticket-values';
import { TicketValueControl } from '../../components/ticket-value-control';

/**
 * A ticket property of new tickets: a named value, or one's own.
 *
 * @param props            Props.
 * @param props.path       Path under `settings`.
 * @param props.label      Label.
 * @param props.otherLabel Label of the text field for one's own value.
 * @param props.options    The named values.
 */
function TicketValueField( {
	path,
	label,
	otherLabel,
	options,
}: {
	path: 'options.ticket.pipeline' | 'options.ticket.status';
	label: string;
	otherLabel: string;
	options: Array< { value: string; label: string } >;
} ) {
	const { settings, update } = useChatflowForm();
	const error = useFieldError( path );
	const field = path.endsWith( 'pipeline' ) ? 'pipeline' : 'status';
	return (
		<div className="chatflows-field">
			<TicketValueControl
				label={ label }
				otherLabel={ otherLabel }
				value={ settings.options.ticket[ field ] }
				options={ options }
				onChange={ ( value ) => update( path, value ) }
				invalidProps={ errorAttributes( path, error ) }
			/>
			<FieldError path={ path } message={ error } />
		</div>
	);
}
import { MAX_ATTACHMENT_MB } from '@chatflows/protocol';

/** The inbox a chatflow's conversations go to. */
export function InboxSection() {
	const inboxes = useSelect( ( select ) => select( store ).getInboxes(), [] );
	const { settings } = useChatflowForm();
	if ( ! inboxes ) {
		return <Spinner />;
	}
	return (
		<SelectField
			path="inboxId"
			label={ __( 'Inbox', 'chatflows' ) }
			help={ __(
				'Conversations from this chatflow go to this inbox.',
				'chatflows'
			) }
			numeric
			// The default inbox once, as "whichever is the default" (0).
			options={ [
				{
					value: '0',
					label: inboxName(
						inboxes.find( ( inbox ) => inbox.isDefault ) ?? {
							name: 'Default inbox',
							isDefault: true,
						}
					),
				},
				...inboxes
					// Listed again only for a chatflow saved with its id.
					.filter(
						( inbox ) =>
							! inbox.isDefault || inbox.id === settings.inboxId
					)
					.map( ( inbox ) => ( {
						value: String( inbox.id ),
						label: inbox.name,
					} ) ),
			] }
		/>
	);
}

/** Accent colour, typed or picked. */
export function AccentColorSection() {
	const { settings, update } = useChatflowForm();
	const colour = settings.display.accentColor;
	return (
		<div className="chatflows-accent">
			<TextField
				path="display.accentColor"
				label={ __( 'Accent colour', 'chatflows' ) }
				help={ __( 'As #RRGGBB, e.g. #2563eb.', 'chatflows' ) }
			/>
			<input
				type="color"
				aria-label={ __( 'Pick the accent colour', 'chatflows' ) }
				value={ /^#[0-9a-f]{6}$/i.test( colour ) ? colour : '#000000' }
				onChange={ ( event ) =>
					update( 'display.accentColor', event.target.value )
				}
			/>
		</div>
	);
}

interface MediaSelection {
	id: number;
	url?: string;
	sizes?: { thumbnail?: { url: string } };
}

interface MediaFrame {
	on: ( event: string, callback: () => void ) => void;
	open: () => void;
	state: () => {
		get: ( key: string ) => {
			first: () => { toJSON: () => MediaSelection };
		};
	};
}

declare global {
	interface Window {
		wp?: { media?: ( options: object ) => MediaFrame };
	}
}

/** The custom-branding image, chosen from the media library. */
function BrandingImage() {
	const { settings, update } = useChatflowForm();
	const imageId = settings.heading.imageId;
	const error = useFieldError( 'heading.imageId' );
	const [ imageUrl, setImageUrl ] = useState< string | null >( null );

	useEffect( () => {
		if ( ! imageId ) {
			setImageUrl( null );
			return;
		}
		let cancelled = false;
		apiFetch< {
			media_details?: { sizes?: { thumbnail?: { source_url: string } } };
			source_url?: string;
		} >( {
			path: `/wp/v2/media/${ imageId }?context=edit`,
		} )
			.then( ( media ) => {
				if ( ! cancelled ) {
					setImageUrl(
						media.media_details?.sizes?.thumbnail?.source_url ??
							media.source_url ??
							null
					);
				}
			} )
			.catch( () => ! cancelled && setImageUrl( null ) );
		return () => {
			cancelled = true;
		};
	}, [ imageId ] );

	const choose = () => {
		const media = window.wp?.media;
		if ( ! media ) {
			return;
		}
		const frame = media( {
			title: __( 'Choose the heading image', 'chatflows' ),
			library: { type: 'image' },
			multiple: false,
			button: { text: __( 'Use this image', 'chatflows' ) },
		} );
		frame.on( 'select', () => {
			const chosen = frame.state().get( 'selection' ).first().toJSON();
			update( 'heading.imageId', chosen.id );
		} );
		frame.open();
	};

	return (
		<div className="chatflows-branding-image">
			<p className="chatflows-label">{ __( 'Image', 'chatflows' ) }</p>
			{ imageUrl && (
				<img
					src={ imageUrl }
					alt={ __( 'Heading image', 'chatflows' ) }
					width={ 64 }
					height={ 64 }
				/>
			) }
			<Button variant="secondary" onClick={ choose }>
				{ imageId
					? __( 'Replace image', 'chatflows' )
					: __( 'Choose image', 'chatflows' ) }
			</Button>
			{ imageId > 0 && (
				<Button
					variant="link"
					isDestructive
					onClick={ () => update( 'heading.imageId', 0 ) }
				>
					{ __( 'Remove image', 'chatflows' ) }
				</Button>
			) }
			<FieldError path="heading.imageId" message={ error } />
		</div>
	);
}

/**
 * The agents and the teams, as the store loads them (null while loading).
 */
export function useAgentsAndTeams() {
	return useSelect(
		( select ) => ( {
			agents: select( store ).getAgents(),
			teams: select( store ).getTeams(),
		} ),
		[]
	);
}

/**
 * Users and teams chosen side by side, for assignment or the heading.
 *
 * @param props             Props.
 * @param props.under       The settings holding `userIds` and `teamIds`.
 * @param props.usersLegend Name of the users' group.
 * @param props.teamsLegend Name of the teams' group.
 */
function PeopleChoices( {
	under,
	usersLegend,
	teamsLegend,
}: {
	under: 'assignment' | 'heading';
	usersLegend: string;
	teamsLegend: string;
} ) {
	const { agents, teams } = useAgentsAndTeams();
	if ( ! agents || ! teams ) {
		return <Spinner />;
	}
	return (
		<div className="chatflows-assignment">
			<IdChoices
				path={ `${ under }.userIds` }
				legend={ usersLegend }
				choices={ agents }
			/>
			<IdChoices
				path={ `${ under }.teamIds` }
				legend={ teamsLegend }
				choices={ teams }
			/>
		</div>
	);
}

/** The users and teams a "specific users and teams" heading shows. */
function HeadingPeople() {
	return (
		<>
			<p className="description">
				{ __(
					'Visitors see their names and avatars until someone answers; then the name of the user who answers.',
					'chatflows'
				) }
			</p>
			<PeopleChoices
				under="heading"
				usersLegend={ __( 'Users in the chat heading', 'chatflows' ) }
				teamsLegend={ __( 'Teams in the chat heading', 'chatflows' ) }
			/>
		</>
	);
}

/** Who the chat heading shows. */
export function HeadingSection() {
	const { settings } = useChatflowForm();
	return (
		<FieldGroup title={ __( 'Chat heading', 'chatflows' ) }>
			<RadioField
				path="heading.mode"
				label={ __( 'The heading shows', 'chatflows' ) }
				options={ [
					{
						value: 'users_and_teams',
						label: __( 'Specific users and teams', 'chatflows' ),
					},
					{
						value: 'contact_owner',
						label: __( 'The contact’s owner', 'chatflows' ),
					},
					{
						value: 'custom_branding',
						label: __( 'Custom branding', 'chatflows' ),
					},
				] }
			/>
			{ settings.heading.mode === 'users_and_teams' && <HeadingPeople /> }
			{ settings.heading.mode === 'custom_branding' && (
				<>
					<TextField
						path="heading.teamName"
						label={ __( 'Team name', 'chatflows' ) }
					/>
					<BrandingImage />
					<CheckboxField
						path="heading.useAsAlias"
						label={ __( 'Use as alias for agents', 'chatflows' ) }
						help={ __(
							'Visitors and transcripts show the team name instead of agents’ names.',
							'chatflows'
						) }
					/>
				</>
			) }
		</FieldGroup>
	);
}

/** The first message a visitor sees. */
export function WelcomeSection() {
	return (
		<LocalizedTextField
			path="welcomeMessage"
			label={ __( 'Welcome message', 'chatflows' ) }
		/>
	);
}

/**
 * A list of ids chosen with one checkbox each.
 *
 * @param props         Props.
 * @param props.path    Path of the ids under `settings`.
 * @param props.legend  Name of the group.
 * @param props.choices What can be chosen.
 */
function IdChoices( {
	path,
	legend,
	choices,
}: {
	path:
		| 'assignment.userIds'
		| 'assignment.teamIds'
		| 'heading.userIds'
		| 'heading.teamIds';
	legend: string;
	choices: Array< { id: number; name: string; avatarUrl?: string } >;
} ) {
	const { settings, update, errors } = useChatflowForm();
	// The list's own error, or one about a chosen id that no longer exists.
	const error = errorsUnder( errors, `settings.${ path }` ).join( ' ' );
	const chosen = getAtPath( settings, path ) as number[];
	return (
		<IdCheckboxes
			legend={ legend }
			choices={ choices }
			chosen={ chosen }
			onChange={ ( ids ) => update( path, ids ) }
			error={ error || undefined }
			errorId={ path }
			// The heading shows people as visitors will see them.
			withAvatars={ path.startsWith( 'heading.' ) }
		/>
	);
}

/** Who incoming chats are assigned to. */
export function AssignmentSection() {
	const { settings } = useChatflowForm();
	return (
		<FieldGroup title={ __( 'Assignment', 'chatflows' ) }>
			<ToggleField
				path="assignment.enabled"
				label={ __( 'Assign incoming chats', 'chatflows' ) }
			/>
			{ settings.assignment.enabled && (
				<PeopleChoices
					under="assignment"
					usersLegend={ __( 'Users', 'chatflows' ) }
					teamsLegend={ __( 'Teams', 'chatflows' ) }
				/>
			) }
		</FieldGroup>
	);
}

/** Asking the visitor for their e-mail address. */
export function EmailCaptureSection() {
	const { settings } = useChatflowForm();
	return (
		<FieldGroup title={ __( 'E-mail capture', 'chatflows' ) }>
			<ToggleField
				path="emailCapture.enabled"
				label={ __(
					'Ask visitors for their e-mail address',
					'chatflows'
				) }
				help={ __(
					'An address that matches no contact creates one.',
					'chatflows'
				) }
			/>
			{ settings.emailCapture.enabled && (
				<>
					<SelectField
						path="emailCapture.when"
						label={ __( 'When to ask', 'chatflows' ) }
						options={ [
							{
								value: 'before_chat',
								label: __(
									'Before the chat starts',
									'chatflows'
								),
							},
							{
								value: 'after_first_message',
								label: __(
									'After the visitor’s first message',
									'chatflows'
								),
							},
							{
								value: 'when_offline',
								label: __(
									'Only when no one is available',
									'chatflows'
								),
							},
						] }
					/>
					<LocalizedTextField
						path="emailCapture.message"
						label={ __( 'E-mail capture message', 'chatflows' ) }
					/>
				</>
			) }
		</FieldGroup>
	);
}

/** Every time zone the browser knows, for the time-zone suggestions. */
function timeZones(): string[] {
	const intl = Intl as unknown as {
		supportedValuesOf?: ( key: string ) => string[];
	};
	return [ 'UTC', ...( intl.supportedValuesOf?.( 'timeZone' ) ?? [] ) ];
}

/**
 * The choices the away, offline and at-capacity settings have in common,
 * written once so the three lists cannot drift apart. A function, not a
 * constant: `__()` must run after the translations are loaded.
 */
function fallbackOptions() {
	return {
		showAwayMessage: {
			value: 'show_away_message',
			label: __( 'Show the away message', 'chatflows' ),
		},
		hideLauncher: {
			value: 'hide_launcher',
			label: __( 'Hide the launcher', 'chatflows' ),
		},
		nothing: { value: 'nothing', label: __( 'Do nothing', 'chatflows' ) },
	};
}

/** When the chat is available, and what happens when it is not. */
export function AvailabilitySection() {
	const { settings } = useChatflowForm();
	const { availability } = settings;
	const fallback = fallbackOptions();
	return (
		<>
			<FieldGroup title={ __( 'Availability', 'chatflows' ) }>
				<RadioField
					path="availability.mode"
					label={ __( 'Availability is based on', 'chatflows' ) }
					options={ [
						{
							value: 'users',
							label: __( 'User availability', 'chatflows' ),
						},
						{
							value: 'office_hours',
							label: __( 'Chat office hours', 'chatflows' ),
						},
						{ value: 'always', label: __( '24/7', 'chatflows' ) },
					] }
				/>
				{ availability.mode === 'office_hours' && (
					<>
						<OfficeHoursEditor />
						<TextField
							path="availability.timeZone"
							label={ __( 'Time zone', 'chatflows' ) }
							help={ __( 'e.g. Europe/Copenhagen', 'chatflows' ) }
							list="chatflows-time-zones"
						/>
						<datalist id="chatflows-time-zones">
							{ timeZones().map( ( zone ) => (
								<option key={ zone } value={ zone } />
							) ) }
						</datalist>
					</>
				) }
			</FieldGroup>
			<FieldGroup title={ __( 'When available', 'chatflows' ) }>
				<ToggleField
					path="availability.showTypicalReplyTime"
					label={ __( 'Show the typical reply time', 'chatflows' ) }
				/>
				{ availability.showTypicalReplyTime && (
					<SelectField
						path="availability.typicalReplyTime"
						label={ __( 'Typical reply time', 'chatflows' ) }
						options={ [
							{
								value: 'minutes',
								label: __( 'In a few minutes', 'chatflows' ),
							},
							{
								value: 'hour',
								label: __( 'In an hour', 'chatflows' ),
							},
							{
								value: 'hours',
								label: __( 'In a few hours', 'chatflows' ),
							},
							{
								value: 'day',
								label: __( 'In a day', 'chatflows' ),
							},
						] }
					/>
				) }
			</FieldGroup>
			<FieldGroup
				title={ __( 'When away during office hours', 'chatflows' ) }
			>
				<SelectField
					path="availability.whenAway"
					label={ __( 'When everyone is away', 'chatflows' ) }
					options={ [
						fallback.showAwayMessage,
						fallback.hideLauncher,
					] }
				/>
				<LocalizedTextField
					path="availability.awayMessage"
					label={ __( 'Away message', 'chatflows' ) }
				/>
			</FieldGroup>
			<FieldGroup title={ __( 'When offline', 'chatflows' ) }>
				<SelectField
					path="availability.whenOffline"
					label={ __( 'Outside office hours', 'chatflows' ) }
					options={ [
						{
							value: 'show_return_time',
							label: __(
								'Show when the team is back',
								'chatflows'
							),
						},
						fallback.showAwayMessage,
						fallback.hideLauncher,
						fallback.nothing,
					] }
				/>
			</FieldGroup>
			<FieldGroup
				title={ __(
					'When every team member is at capacity',
					'chatflows'
				) }
			>
				<SelectField
					path="availability.whenAtCapacity"
					label={ __( 'When everyone is at capacity', 'chatflows' ) }
					options={ [
						{
							value: 'show_wait_message',
							label: __( 'Show the wait message', 'chatflows' ),
						},
						fallback.hideLauncher,
						fallback.nothing,
					] }
				/>
				<LocalizedTextField
					path="availability.waitMessage"
					label={ __( 'Wait message', 'chatflows' ) }
				/>
			</FieldGroup>
		</>
	);
}

/** How the chat appears on desktop and mobile, and its triggers. */
export function DisplayBehaviourSection() {
	const { settings } = useChatflowForm();
	const { triggers } = settings.displayBehaviour;
	return (
		<>
			<FieldGroup title={ __( 'Display behaviour', 'chatflows' ) }>
				<RadioField
					path="displayBehaviour.desktop"
					label={ __( 'On desktop', 'chatflows' ) }
					options={ [
						{
							value: 'prompt',
							label: __(
								'Pop the welcome message as a prompt',
								'chatflows'
							),
						},
						{
							value: 'launcher',
							label: __( 'Show only the launcher', 'chatflows' ),
						},
						{
							value: 'prompt_on_trigger',
							label: __(
								'Show the welcome message and open the chat when a trigger fires (or on click)',
								'chatflows'
							),
						},
					] }
				/>
				<RadioField
					path="displayBehaviour.mobile"
					label={ __( 'On mobile', 'chatflows' ) }
					options={ [
						{
							value: 'prompt',
							label: __(
								'Pop the welcome message as a prompt',
								'chatflows'
							),
						},
						{
							value: 'launcher',
							label: __( 'Show only the launcher', 'chatflows' ),
						},
					] }
				/>
			</FieldGroup>
			<FieldGroup title={ __( 'Triggers', 'chatflows' ) }>
				<ToggleField
					path="displayBehaviour.triggers.exitIntent"
					label={ __( 'Exit intent', 'chatflows' ) }
				/>
				<ToggleField
					path="displayBehaviour.triggers.timeOnPage"
					label={ __( 'Time on page', 'chatflows' ) }
				/>
				<NumberField
					path="displayBehaviour.triggers.timeOnPageSeconds"
					label={ __( 'Seconds on the page', 'chatflows' ) }
					min={ 0 }
					max={ 3600 }
					hint={ timeOnPageHint( settings ) }
				/>
				<ToggleField
					path="displayBehaviour.triggers.scroll"
					label={ __( 'Page scrolled', 'chatflows' ) }
				/>
				<NumberField
					path="displayBehaviour.triggers.scrollPercent"
					label={ __(
						'Percentage of the page scrolled',
						'chatflows'
					) }
					min={ 0 }
					max={ 100 }
				/>
				{ triggers.timeOnPage && triggers.timeOnPageSeconds === 0 && (
					<p className="chatflows-field-hint">
						{ __(
							'The trigger fires as soon as the page loads.',
							'chatflows'
						) }
					</p>
				) }
			</FieldGroup>
		</>
	);
}

interface Term {
	id: number;
	name: string;
}
interface PostTypeRecord {
	slug: string;
	name: string;
	viewable?: boolean;
	visibility?: { show_ui?: boolean };
}

/** Searching the site's content from the chat. */
export function KnowledgeBaseSection() {
	const { settings } = useChatflowForm();
	const [ categories, setCategories ] = useState< Term[] | null >( null );
	const [ postTypes, setPostTypes ] = useState< PostTypeRecord[] | null >(
		null
	);
	useEffect( () => {
		let cancelled = false;
		Promise.all( [
			apiFetch< Term[] >( {
				path: '/wp/v2/categories?per_page=100&_fields=id,name',
			} ),
			apiFetch< Record< string, PostTypeRecord > >( {
				path: '/wp/v2/types?context=edit',
			} ),
		] )
			.then( ( [ terms, types ] ) => {
				if ( cancelled ) {
					return;
				}
				setCategories( terms );
				setPostTypes(
					Object.values( types ).filter(
						( type ) =>
							type.viewable !== false &&
							! type.slug.startsWith( 'wp_' ) &&
							type.slug !== 'attachment'
					)
				);
			} )
			.catch( () => {
				if ( ! cancelled ) {
					setCategories( [] );
					setPostTypes( [] );
				}
			} );
		return () => {
			cancelled = true;
		};
	}, [] );
	const kb = settings.knowledgeBase;
	return (
		<FieldGroup title={ __( 'Knowledge base', 'chatflows' ) }>
			<ToggleField
				path="knowledgeBase.enabled"
				label={ __(
					'Let visitors search the site from the chat',
					'chatflows'
				) }
			/>
			{ kb.enabled && (
				<>
					<RadioField
						path="knowledgeBase.sourceType"
						label={ __( 'Search in', 'chatflows' ) }
						options={ [
							{
								value: 'post_type',
								label: __( 'A content type', 'chatflows' ),
							},
							{
								value: 'category',
								label: __( 'A category', 'chatflows' ),
							},
						] }
					/>
					{ ( ! categories || ! postTypes ) && <Spinner /> }
					{ categories && kb.sourceType === 'category' && (
						<SelectField
							path="knowledgeBase.categoryId"
							label={ __( 'Category', 'chatflows' ) }
							numeric
							options={ [
								{
									value: '0',
									label: __(
										'Choose a category',
										'chatflows'
									),
								},
								...categories.map( ( term ) => ( {
									value: String( term.id ),
									label: term.name,
								} ) ),
							] }
						/>
					) }
					{ postTypes && kb.sourceType === 'post_type' && (
						<SelectField
							path="knowledgeBase.postType"
							label={ __( 'Content type', 'chatflows' ) }
							options={ postTypes.map( ( type ) => ( {
								value: type.slug,
								label: type.name,
							} ) ) }
						/>
					) }
				</>
			) }
		</FieldGroup>
	);
}

/** Language, tickets, consents, marketing, survey. */
export function OptionsSection() {
	const { settings } = useChatflowForm();
	const { options } = settings;
	return (
		<>
			<FieldGroup title={ __( 'Language', 'chatflows' ) }>
				<SelectField
					path="options.language"
					label={ __( 'Language of the chat', 'chatflows' ) }
					options={ [
						{
							value: 'page',
							label: __( 'The page’s language', 'chatflows' ),
						},
						{ value: 'en_US', label: __( 'English', 'chatflows' ) },
						{ value: 'da_DK', label: __( 'Danish', 'chatflows' ) },
						{ value: 'nl_NL', label: __( 'Dutch', 'chatflows' ) },
					] }
				/>
			</FieldGroup>
			<FieldGroup title={ __( 'Ticket properties', 'chatflows' ) }>
				<TicketValueField
					path="options.ticket.pipeline"
					label={ __( 'Pipeline', 'chatflows' ) }
					otherLabel={ __( 'Pipeline name', 'chatflows' ) }
					options={ ticketPipelineOptions() }
				/>
				<TicketValueField
					path="options.ticket.status"
					label={ __( 'Ticket status', 'chatflows' ) }
					otherLabel={ __( 'Status name', 'chatflows' ) }
					options={ ticketStatusOptions() }
				/>
				<SelectField
					path="options.ticket.priority"
					label={ __( 'Priority', 'chatflows' ) }
					options={ ticketPriorityOptions() }
				/>
				<TextField
					path="options.ticket.category"
					label={ __( 'Ticket category', 'chatflows' ) }
				/>
			</FieldGroup>
			<FieldGroup
				title={ __( 'Consent to collect chat cookies', 'chatflows' ) }
			>
				<ToggleField
					path="options.cookieConsent.enabled"
					label={ __(
						'Ask for consent to chat cookies',
						'chatflows'
					) }
				/>
				{ options.cookieConsent.enabled && (
					<>
						<RadioField
							path="options.cookieConsent.when"
							label={ __( 'Show the banner', 'chatflows' ) }
							options={ [
								{
									value: 'before_chat',
									label: __(
										'Before the visitor starts a chat',
										'chatflows'
									),
								},
								{
									value: 'exit_intent',
									label: __( 'On exit intent', 'chatflows' ),
								},
							] }
						/>
						<LocalizedTextField
							path="options.cookieConsent.text"
							label={ __( 'Cookie consent text', 'chatflows' ) }
						/>
					</>
				) }
			</FieldGroup>
			<FieldGroup title={ __( 'Consent to process data', 'chatflows' ) }>
				<ToggleField
					path="options.dataConsent.enabled"
					label={ __(
						'Ask for consent to process data',
						'chatflows'
					) }
				/>
				{ options.dataConsent.enabled && (
					<>
						<RadioField
							path="options.dataConsent.mode"
							label={ __( 'Lawful basis', 'chatflows' ) }
							options={ [
								{
									value: 'explicit',
									label: __(
										'Explicit consent (“I agree”)',
										'chatflows'
									),
								},
								{
									value: 'legitimate_interest',
									label: __(
										'Legitimate interest (a notice)',
										'chatflows'
									),
								},
							] }
						/>
						<LocalizedTextField
							path="options.dataConsent.text"
							label={ __( 'Data processing text', 'chatflows' ) }
						/>
						<TextField
							path="options.dataConsent.privacyPolicyUrl"
							label={ __( 'Privacy policy link', 'chatflows' ) }
							help={ __(
								'Empty: the site’s privacy policy page.',
								'chatflows'
							) }
							type="url"
						/>
					</>
				) }
			</FieldGroup>
			<FieldGroup
				title={ __( 'Consent to communications', 'chatflows' ) }
			>
				<ToggleField
					path="options.communicationsConsent.enabled"
					label={ __(
						'Ask for consent to communications',
						'chatflows'
					) }
				/>
				{ options.communicationsConsent.enabled && (
					<>
						<SelectField
							path="options.communicationsConsent.subscriptionType"
							label={ __( 'Subscription type', 'chatflows' ) }
							help={ __(
								'What visitors who tick the checkbox subscribe to.',
								'chatflows'
							) }
							options={ SUBSCRIPTION_TYPES() }
						/>
						<LocalizedTextField
							path="options.communicationsConsent.label"
							label={ __( 'Checkbox label', 'chatflows' ) }
							multiline={ false }
						/>
					</>
				) }
			</FieldGroup>
			<FieldGroup title={ __( 'Contacts and survey', 'chatflows' ) }>
				<ToggleField
					path="options.marketingContacts"
					label={ __(
						'Make new contacts marketing contacts',
						'chatflows'
					) }
				/>
				<ToggleField
					path="options.survey.enabled"
					label={ __(
						'Satisfaction survey at the end of a chat',
						'chatflows'
					) }
				/>
				{ options.survey.enabled && (
					<LocalizedTextField
						path="options.survey.question"
						label={ __( 'Survey question', 'chatflows' ) }
						multiline={ false }
					/>
				) }
				<ToggleField
					path="options.attachments.enabled"
					label={ __(
						'Visitors may send images and PDF files',
						'chatflows'
					) }
				/>
				{ options.attachments.enabled && (
					<NumberField
						path="options.attachments.maxSizeMb"
						label={ __( 'Largest file (MB)', 'chatflows' ) }
						min={ 1 }
						max={ MAX_ATTACHMENT_MB }
					/>
				) }
				<NumberField
					path="options.idleCloseMinutes"
					label={ __(
						'Close idle chats after (minutes)',
						'chatflows'
					) }
					help={ __( '0: never.', 'chatflows' ) }
					min={ 0 }
					max={ 10080 }
				/>
			</FieldGroup>
		</>
	);
}
