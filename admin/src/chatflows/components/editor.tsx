/**
 * The editor of a chatflow: Build, Target, Display, Knowledge base and Options tabs,
 * Save with the conflict case, a warning before leaving unsaved changes, and
 * a preview of the unsaved settings.
 */
import { Button, Modal, Notice, Spinner } from '@wordpress/components';
import { SelectControl, TextControl } from '@chatflows/components';
import { textLanguageOptions } from '../../components/text-languages';
import { useDispatch, useSelect } from '@wordpress/data';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { errorsUnder } from '../form/field-errors';
import {
	useChatflowFormState,
	type ChatflowDraftState,
} from '../form/use-chatflow-form';
import { navigate, urlOf, useLeaveWarning } from '../navigation';
import { store } from '../store';
import type { Chatflow } from '../store/types';
import {
	errorAttributes,
	FieldError,
	FormContext,
	type TextLanguage,
} from './form-context';
import { ChatflowPreview } from './preview';
import {
	AccentColorSection,
	AssignmentSection,
	AvailabilitySection,
	DisplayBehaviourSection,
	EmailCaptureSection,
	HeadingSection,
	InboxSection,
	KnowledgeBaseSection,
	OptionsSection,
	WelcomeSection,
} from './sections';
import { serviceMessage } from './service-notice';
import { TargetTab } from './target-tab';
import { Tabs } from './tabs';
import { MessageNotices, type Message } from '../../components/messages';
import { adminLocale } from '../../components/admin-locale';

/** Which tab holds which settings, by path prefix. */
export const EDITOR_TABS = [
	{
		name: 'build',
		paths: [
			'title',
			'settings.inboxId',
			'settings.assignment',
			'settings.welcomeMessage',
			'settings.emailCapture',
			'settings.heading',
			'settings.availability',
		],
	},
	{ name: 'target', paths: [ 'settings.target' ] },
	{
		name: 'display',
		paths: [ 'settings.display', 'settings.displayBehaviour' ],
	},
	{ name: 'knowledge-base', paths: [ 'settings.knowledgeBase' ] },
	{ name: 'options', paths: [ 'settings.options' ] },
] as const;

type TabName = ( typeof EDITOR_TABS )[ number ][ 'name' ];

function tabTitle( name: TabName ): string {
	switch ( name ) {
		case 'build':
			return __( 'Build', 'chatflows' );
		case 'target':
			return __( 'Target', 'chatflows' );
		case 'display':
			return __( 'Display', 'chatflows' );
		case 'knowledge-base':
			return __( 'Knowledge base', 'chatflows' );
		default:
			return __( 'Options', 'chatflows' );
	}
}

/**
 * The language whose texts the editor shows first: wp-admin's own when the
 * chat has texts in it (a Danish admin starts with the Danish texts), else
 * English.
 */
export function initialTextLanguage(): TextLanguage {
	const locale = ( adminLocale() ?? '' ).replace( '-', '_' );
	return textLanguageOptions().some( ( option ) => option.value === locale )
		? ( locale as TextLanguage )
		: 'en_US';
}

function EditorForm( { chatflow }: { chatflow: Chatflow } ) {
	const form = useChatflowFormState( {
		title: chatflow.title,
		settings: chatflow.settings,
	} );
	const [ version, setVersion ] = useState( chatflow.version );
	const [ tab, setTab ] = useState< TabName >( 'build' );
	const [ language, setLanguage ] =
		useState< TextLanguage >( initialTextLanguage );
	const [ saving, setSaving ] = useState( false );
	const [ messages, setMessages ] = useState< Message[] >( [] );
	const [ conflict, setConflict ] = useState< string | null >( null );
	const [ previewing, setPreviewing ] = useState( false );
	const { saveChatflow, reloadChatflow } = useDispatch( store );
	useLeaveWarning( form.dirty );

	const tabOfFirstError = ( errors: Record< string, string > ) =>
		EDITOR_TABS.find( ( definition ) =>
			definition.paths.some(
				( path ) => errorsUnder( errors, path ).length > 0
			)
		)?.name;

	const save = async () => {
		setConflict( null );
		if ( Object.keys( form.clientErrors ).length ) {
			setMessages( [
				{
					status: 'error',
					text: __(
						'Some fields need your attention. Nothing was saved.',
						'chatflows'
					),
				},
			] );
			setTab( tabOfFirstError( form.clientErrors ) ?? tab );
			return;
		}
		setSaving( true );
		setMessages( [] );
		try {
			const saved = await saveChatflow(
				chatflow.id,
				form.draft,
				version
			);
			form.markSaved( { title: saved.title, settings: saved.settings } );
			setVersion( saved.version );
			const service = serviceMessage( saved.service );
			setMessages( [
				{
					status: 'success',
					text: __( 'Chatflow saved.', 'chatflows' ),
				},
				...( service
					? [ { status: 'warning' as const, text: service } ]
					: [] ),
			] );
		} catch ( error ) {
			const mapped = form.showServerError( error );
			if ( mapped.conflict ) {
				setConflict( mapped.general );
			} else {
				setMessages( [
					{
						status: 'error',
						text:
							mapped.general ??
							__( 'The chatflow was not saved.', 'chatflows' ),
					},
				] );
				setTab( tabOfFirstError( mapped.fields ) ?? tab );
			}
		} finally {
			setSaving( false );
		}
	};

	const reload = async () => {
		const fresh = await reloadChatflow( chatflow.id );
		form.markSaved( { title: fresh.title, settings: fresh.settings } );
		setVersion( fresh.version );
		setConflict( null );
		setMessages( [
			{
				status: 'success',
				text: __(
					'Reloaded the latest version of the chatflow.',
					'chatflows'
				),
			},
		] );
	};

	const titleError = form.errors.title;
	const tabs = EDITOR_TABS.map( ( definition ) => ( {
		name: definition.name,
		title: tabTitle( definition.name ),
		errorCount: definition.paths.reduce(
			( count, path ) => count + errorsUnder( form.errors, path ).length,
			0
		),
	} ) );

	return (
		<FormContext.Provider
			value={ {
				settings: form.draft.settings,
				errors: form.errors,
				language,
				update: form.updateSetting,
			} }
		>
			<div className="chatflows-editor">
				<div className="chatflows-editor__bar">
					<a
						href={ urlOf( { view: 'list' } ) }
						onClick={ ( event ) => {
							event.preventDefault();
							navigate( { view: 'list' } );
						} }
					>
						{ __( '← All chatflows', 'chatflows' ) }
					</a>
					<h2>
						{ sprintf(
							/* translators: %s: chatflow name. */
							__( 'Edit chatflow: %s', 'chatflows' ),
							form.draft.title
						) }
					</h2>
					<span className="chatflows-editor__status">
						{ chatflow.enabled
							? __( 'On', 'chatflows' )
							: __( 'Off', 'chatflows' ) }
						{ ' · ' }
						{ chatflow.target }
					</span>
					{ form.dirty && (
						<span className="chatflows-editor__dirty">
							{ __( 'Unsaved changes', 'chatflows' ) }
						</span>
					) }
					<Button
						variant="secondary"
						onClick={ () => setPreviewing( true ) }
					>
						{ __( 'Preview', 'chatflows' ) }
					</Button>
					<Button
						variant="primary"
						onClick={ save }
						isBusy={ saving }
						disabled={ saving }
					>
						{ __( 'Save', 'chatflows' ) }
					</Button>
				</div>
				{ conflict && (
					<Notice
						status="error"
						isDismissible={ false }
						actions={ [
							{
								label: __( 'Reload the chatflow', 'chatflows' ),
								onClick: reload,
								variant: 'primary',
							},
						] }
					>
						{ conflict }
					</Notice>
				) }
				<MessageNotices
					messages={ messages }
					onRemove={ ( message ) =>
						setMessages( ( current ) =>
							current.filter( ( item ) => item !== message )
						)
					}
				/>
				<div className="chatflows-editor__head">
					<div className="chatflows-field">
						<TextControl
							label={ __( 'Name', 'chatflows' ) }
							value={ form.draft.title }
							onChange={ form.updateTitle }
							{ ...errorAttributes( 'title', titleError ) }
						/>
						<FieldError path="title" message={ titleError } />
					</div>
					<SelectControl
						label={ __( 'Texts in', 'chatflows' ) }
						help={ __(
							'The language whose texts you are editing.',
							'chatflows'
						) }
						value={ language }
						options={ textLanguageOptions() }
						onChange={ ( value: string ) =>
							setLanguage( value as TextLanguage )
						}
					/>
				</div>
				<Tabs
					id="chatflows-editor"
					label={ __( 'Chatflow settings', 'chatflows' ) }
					tabs={ tabs }
					selected={ tab }
					onSelect={ ( name ) => setTab( name as TabName ) }
				>
					{ tab === 'build' && (
						<>
							<InboxSection />
							<AssignmentSection />
							<WelcomeSection />
							<EmailCaptureSection />
							<HeadingSection />
							<AvailabilitySection />
						</>
					) }
					{ tab === 'target' && <TargetTab /> }
					{ tab === 'display' && (
						<>
							<AccentColorSection />
							<DisplayBehaviourSection />
						</>
					) }
					{ tab === 'knowledge-base' && <KnowledgeBaseSection /> }
					{ tab === 'options' && <OptionsSection /> }
				</Tabs>
				{ previewing && (
					<Modal
						title={ __( 'Preview', 'chatflows' ) }
						onRequestClose={ () => setPreviewing( false ) }
						className="chatflows-preview-modal"
						// The preview's chat window takes focus when it opens: focus
						// inside its frame counts as outside the modal, which would close.
						shouldCloseOnClickOutside={ false }
					>
						<ChatflowPreview settings={ form.draft.settings } />
					</Modal>
				) }
			</div>
		</FormContext.Provider>
	);
}

/**
 * The editor of one chatflow, once it loaded.
 *
 * @param props    Props.
 * @param props.id Chatflow id.
 */
export function ChatflowEditor( { id }: { id: number } ) {
	const { chatflow, failed } = useSelect(
		( select ) => ( {
			chatflow: select( store ).getChatflow( id ),
			failed: select( store ).hasResolutionFailed( 'getChatflow', [
				id,
			] ),
		} ),
		[ id ]
	);
	if ( failed ) {
		return (
			<Notice status="error" isDismissible={ false }>
				{ __( 'This chatflow could not be loaded.', 'chatflows' ) }
			</Notice>
		);
	}
	if ( ! chatflow ) {
		return <Spinner />;
	}
	return <EditorForm key={ chatflow.id } chatflow={ chatflow } />;
}

export type { ChatflowDraftState };
