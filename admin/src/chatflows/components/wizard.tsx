/**
 * The set-up wizard for a new chatflow: Inbox, Display, Chatflow,
 * Availability, Preview, Publish. Nothing is stored until Publish.
 */
import { Button, Notice } from '@wordpress/components';
import { TextControl, ToggleControl } from '@chatflows/components';
import { useDispatch } from '@wordpress/data';
import { useCallback, useMemo, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	type ChatflowSettings,
	defaultSettings,
} from '@chatflows/chatflow-model';
import { errorsFromRestError, errorsUnder } from '../form/field-errors';
import { useChatflowFormState } from '../form/use-chatflow-form';
import { navigate, useLeaveWarning } from '../navigation';
import { store } from '../store';
import { errorAttributes, FieldError, FormContext } from './form-context';
import { ChatflowPreview } from './preview';
import {
	AccentColorSection,
	AssignmentSection,
	AvailabilitySection,
	HeadingSection,
	InboxSection,
	WelcomeSection,
} from './sections';
import { NOTICE_KEY } from './chatflow-list';
import { rememberPublished } from './published-notice';
import type { FieldErrors } from '../form/field-errors';
import { serviceMessage } from './service-notice';

/** The steps, and the settings each one holds (by path prefix). */
export const WIZARD_STEPS = [
	{ name: 'inbox', paths: [ 'title', 'settings.inboxId' ] },
	{ name: 'display', paths: [ 'settings.display' ] },
	{
		name: 'chatflow',
		paths: [
			'settings.heading',
			'settings.welcomeMessage',
			'settings.assignment',
		],
	},
	{ name: 'availability', paths: [ 'settings.availability' ] },
	{ name: 'preview', paths: [] },
	{
		name: 'publish',
		paths: [
			'settings.target',
			'settings.emailCapture',
			'settings.displayBehaviour',
			'settings.knowledgeBase',
			'settings.options',
		],
	},
] as const;

type StepName = ( typeof WIZARD_STEPS )[ number ][ 'name' ];

function stepTitle( name: StepName ): string {
	switch ( name ) {
		case 'inbox':
			return __( 'Inbox', 'chatflows' );
		case 'display':
			return __( 'Display', 'chatflows' );
		case 'chatflow':
			return __( 'Chatflow', 'chatflows' );
		case 'availability':
			return __( 'Availability', 'chatflows' );
		case 'preview':
			return __( 'Preview', 'chatflows' );
		default:
			return __( 'Publish', 'chatflows' );
	}
}

/**
 * The index of the first step holding one of the errors, if any.
 *
 * @param errors Errors by path.
 */
export function stepOfFirstError( errors: Record< string, string > ): number {
	return WIZARD_STEPS.findIndex( ( step ) =>
		step.paths.some( ( path ) => errorsUnder( errors, path ).length > 0 )
	);
}

/**
 * The settings a new chatflow starts from: the first one shows on all pages,
 * so that a chat set up step by step shows somewhere; later ones start off
 * (they would take over every page from the first).
 *
 * @param isFirst No chatflow exists yet.
 */
export function wizardSettings( isFirst: boolean ): ChatflowSettings {
	const settings = defaultSettings();
	settings.target.allPages = isFirst;
	return settings;
}

/**
 * Whether an error is at or under a path.
 *
 * @param key  Path of the error.
 * @param path A field's path.
 */
function isUnder( key: string, path: string ): boolean {
	return (
		key === path ||
		key.startsWith( path + '.' ) ||
		key.startsWith( path + '[' )
	);
}

/**
 * Whether an element takes typing (text, numbers, times), whose errors wait
 * until the person leaves it, rather than a choice (a switch, a radio button,
 * a drop-down, a colour picker), whose errors show at once.
 *
 * @param element The element an input event came from.
 */
function takesTyping( element: EventTarget ): boolean {
	if ( element instanceof HTMLTextAreaElement ) {
		return true;
	}
	return (
		element instanceof HTMLInputElement &&
		! [ 'checkbox', 'radio', 'color', 'range' ].includes( element.type )
	);
}

/**
 * The errors the wizard shows: the browser's own errors of a field only once
 * the person left it, made a choice in it, or asked for the next step (an
 * empty wizard shows no errors); the server's errors at once.
 *
 * @param errors       Every error by path.
 * @param clientErrors The browser's errors by path.
 * @param revealed     Paths whose errors may show.
 */
export function shownErrors(
	errors: FieldErrors,
	clientErrors: FieldErrors,
	revealed: string[]
): FieldErrors {
	const shown: FieldErrors = {};
	for ( const [ key, message ] of Object.entries( errors ) ) {
		if (
			! ( key in clientErrors ) ||
			revealed.some( ( path ) => isUnder( key, path ) )
		) {
			shown[ key ] = message;
		}
	}
	return shown;
}

/**
 * The wizard.
 *
 * @param props         Props.
 * @param props.isFirst No chatflow exists yet.
 */
export function SetupWizard( { isFirst }: { isFirst: boolean } ) {
	const form = useChatflowFormState( {
		title: isFirst ? __( 'Website chat', 'chatflows' ) : '',
		settings: wizardSettings( isFirst ),
	} );
	const [ revealed, setRevealed ] = useState< string[] >( [] );
	const reveal = useCallback(
		( ...paths: string[] ) =>
			setRevealed( ( current ) => [
				...current,
				...paths.filter( ( path ) => ! current.includes( path ) ),
			] ),
		[]
	);
	const errors = useMemo(
		() => shownErrors( form.errors, form.clientErrors, revealed ),
		[ form.errors, form.clientErrors, revealed ]
	);
	const { updateSetting } = form;
	// Set by the input event that leads to an update, before the update runs.
	const typing = useRef( false );
	const noteInput = ( event: React.SyntheticEvent ) => {
		typing.current = takesTyping( event.target );
	};
	const update = useCallback(
		( path: string, value: unknown ) => {
			if ( ! typing.current ) {
				// A switch can make its neighbours wrong (assignment on with
				// nobody to assign to): its group's errors show.
				reveal( `settings.${ path.replace( /\.[^.]+$/, '' ) }` );
			}
			typing.current = false;
			updateSetting( path, value );
		},
		[ reveal, updateSetting ]
	);
	// Leaving a field shows its errors (fields carry their path).
	const onLeaveField = ( event: React.FocusEvent ) => {
		const field = ( event.target as HTMLElement )
			.closest( '[data-field]' )
			?.getAttribute( 'data-field' );
		if ( field ) {
			reveal( field );
		}
	};
	const [ step, setStep ] = useState( 0 );
	const [ publishing, setPublishing ] = useState( false );
	const [ message, setMessage ] = useState< string | null >( null );
	const { createChatflow, setChatflowEnabled } = useDispatch( store );
	useLeaveWarning( form.dirty && ! publishing );

	const current = WIZARD_STEPS[ step ];
	const stepErrors = ( index: number ) =>
		WIZARD_STEPS[ index ].paths.flatMap( ( path ) =>
			errorsUnder( form.clientErrors, path )
		);

	const next = () => {
		reveal( ...current.paths );
		if ( stepErrors( step ).length ) {
			setMessage( __( 'Some fields need your attention.', 'chatflows' ) );
			return;
		}
		setMessage( null );
		setStep( step + 1 );
	};

	const publish = async () => {
		const firstError = stepOfFirstError( form.clientErrors );
		reveal( ...WIZARD_STEPS.flatMap( ( definition ) => definition.paths ) );
		if ( firstError >= 0 ) {
			setStep( firstError );
			setMessage( __( 'Some fields need your attention.', 'chatflows' ) );
			return;
		}
		setPublishing( true );
		setMessage( null );
		let createdId: number | null = null;
		try {
			const created = await createChatflow( form.draft );
			createdId = created.id;
			const published = await setChatflowEnabled( created.id, true );
			const service = serviceMessage( published.service );
			if ( service ) {
				window.sessionStorage?.setItem( NOTICE_KEY, service );
			}
			rememberPublished( {
				id: created.id,
				title: form.draft.title.trim(),
				allPages: form.draft.settings.target.allPages,
			} );
			navigate( { view: 'list' }, true );
		} catch ( error ) {
			setPublishing( false );
			if ( createdId ) {
				// Created but not turned on: the list says so and can turn it on.
				window.sessionStorage?.setItem(
					NOTICE_KEY,
					sprintf(
						/* translators: %s: why publishing failed. */
						__(
							'The chatflow was saved but is still off: %s',
							'chatflows'
						),
						errorsFromRestError( error ).general ?? ''
					)
				);
				navigate( { view: 'list' }, true );
				return;
			}
			const mapped = form.showServerError( error );
			const at = stepOfFirstError( mapped.fields );
			if ( at >= 0 ) {
				setStep( at );
			}
			setMessage( mapped.general );
		}
	};

	return (
		<FormContext.Provider
			value={ {
				settings: form.draft.settings,
				errors,
				language: 'en_US',
				update,
			} }
		>
			<div className="chatflows-wizard">
				<h2>
					{ isFirst
						? __( 'Set up your first chatflow', 'chatflows' )
						: __( 'Create chatflow', 'chatflows' ) }
				</h2>
				<ol
					className="chatflows-wizard__steps"
					aria-label={ __( 'Steps', 'chatflows' ) }
				>
					{ WIZARD_STEPS.map( ( definition, index ) => (
						<li
							key={ definition.name }
							aria-current={ index === step ? 'step' : undefined }
							className={
								index === step ? 'is-current' : undefined
							}
						>
							{ sprintf(
								/* translators: 1: step number, 2: step name. */
								__( '%1$d. %2$s', 'chatflows' ),
								index + 1,
								stepTitle( definition.name )
							) }
						</li>
					) ) }
				</ol>
				{ message && (
					<Notice status="error" isDismissible={ false }>
						{ message }
					</Notice>
				) }
				<section
					className="chatflows-wizard__step"
					aria-label={ stepTitle( current.name ) }
					onBlur={ onLeaveField }
					onInputCapture={ noteInput }
					onChangeCapture={ noteInput }
				>
					<h3>{ stepTitle( current.name ) }</h3>
					{ current.name === 'inbox' && (
						<>
							<div className="chatflows-field" data-field="title">
								<TextControl
									label={ __( 'Name', 'chatflows' ) }
									value={ form.draft.title }
									onChange={ form.updateTitle }
									{ ...errorAttributes(
										'title',
										errors.title
									) }
								/>
								<FieldError
									path="title"
									message={ errors.title }
								/>
							</div>
							<InboxSection />
						</>
					) }
					{ current.name === 'display' && <AccentColorSection /> }
					{ current.name === 'chatflow' && (
						<>
							<HeadingSection />
							<WelcomeSection />
							<AssignmentSection />
						</>
					) }
					{ current.name === 'availability' && (
						<AvailabilitySection />
					) }
					{ current.name === 'preview' && (
						<ChatflowPreview settings={ form.draft.settings } />
					) }
					{ current.name === 'publish' && (
						<>
							<ToggleControl
								label={ __(
									'Show chat on all pages',
									'chatflows'
								) }
								help={ __(
									'Off: chat shows only on pages that choose this chatflow.',
									'chatflows'
								) }
								checked={ form.draft.settings.target.allPages }
								onChange={ ( checked: boolean ) =>
									update( 'target.allPages', checked )
								}
							/>
							<p>
								{ __(
									'Publishing turns the chatflow on. You can change every setting later in its editor.',
									'chatflows'
								) }
							</p>
						</>
					) }
				</section>
				<div className="chatflows-wizard__actions">
					{ step > 0 && (
						<Button
							variant="secondary"
							onClick={ () => {
								setMessage( null );
								setStep( step - 1 );
							} }
						>
							{ __( 'Back', 'chatflows' ) }
						</Button>
					) }
					{ ! isFirst && (
						<Button
							variant="tertiary"
							onClick={ () => navigate( { view: 'list' } ) }
						>
							{ __( 'Cancel', 'chatflows' ) }
						</Button>
					) }
					{ current.name === 'publish' ? (
						<Button
							variant="primary"
							onClick={ publish }
							isBusy={ publishing }
							disabled={ publishing }
						>
							{ __( 'Publish', 'chatflows' ) }
						</Button>
					) : (
						<Button variant="primary" onClick={ next }>
							{ __( 'Next', 'chatflows' ) }
						</Button>
					) }
				</div>
			</div>
		</FormContext.Provider>
	);
}
