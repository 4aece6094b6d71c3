/**
 * Chatflows → Saved replies: managers keep the replies shared with every
 * agent or with one inbox's agents; every agent keeps personal ones here too
 * (the same form, in the same place as the rest of the set-up, rather than a
 * second editor squeezed into the inbox's reply box).
 */
import { Button, Modal, Spinner } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	errorAttributes,
	FieldError,
} from '../../chatflows/components/form-context';
import {
	errorsFromRestError,
	type FieldErrors,
} from '../../chatflows/form/field-errors';
import { ConfirmDeleteModal } from '../../components/confirm-delete-modal';
import {
	SelectControl,
	TextareaControl,
	TextControl,
} from '@chatflows/components';
import { inboxName } from '../../components/inbox-name';
import { MessageNotices, type Message } from '../../components/messages';
import { RecordTable, RowActions } from '../../components/record-table';
import {
	textLanguageName,
	textLanguageOptions,
} from '../../components/text-languages';
import { store } from '../store';
import type {
	SavedReply,
	SavedReplyDraft,
	SavedReplyLanguage,
	SavedReplyScope,
} from '../store/types';
import { VARIABLES } from '../variables';

/** What WordPress prints for the page (`Admin::saved_replies_page_data()`). */
export interface SavedRepliesPageData {
	/** May edit shared replies. */
	canManage: boolean;
	/** Inboxes the user may see: all for managers, their own for agents. */
	inboxes: Array< { id: number; name: string; isDefault?: boolean } >;
}

const EMPTY_DRAFT: SavedReplyDraft = {
	name: '',
	shortcut: '',
	text: '',
	language: '',
	scope: 'personal',
	inboxId: 0,
};

/**
 * Who uses a reply, in words.
 *
 * @param reply   The reply.
 * @param inboxes Inboxes, for names.
 */
function usedBy(
	reply: SavedReply,
	inboxes: SavedRepliesPageData[ 'inboxes' ]
): string {
	if ( reply.scope === 'everyone' ) {
		return __( 'Every agent', 'chatflows' );
	}
	if ( reply.scope === 'personal' ) {
		return __( 'Only you', 'chatflows' );
	}
	const inbox = inboxes.find( ( { id } ) => id === reply.inboxId );
	return sprintf(
		/* translators: %s: inbox name. */
		__( 'Agents of %s', 'chatflows' ),
		inbox ? inboxName( inbox ) : `#${ reply.inboxId }`
	);
}

/**
 * Creates or edits a reply in a dialog. Errors stay in the dialog, with the
 * field named; a success closes it and is reported on the page.
 *
 * @param props         Props.
 * @param props.reply   The reply, or null for a new one.
 * @param props.page    The page's data.
 * @param props.onClose Closes the dialog.
 * @param props.report  Shows messages on the page.
 */
function SavedReplyDialog( {
	reply,
	page,
	onClose,
	report,
}: {
	reply: SavedReply | null;
	page: SavedRepliesPageData;
	onClose: () => void;
	report: ( messages: Message[] ) => void;
} ) {
	const [ draft, setDraft ] = useState< SavedReplyDraft >(
		reply
			? {
					name: reply.name,
					shortcut: reply.shortcut,
					text: reply.text,
					language: reply.language,
					scope: reply.scope,
					inboxId: reply.inboxId,
				}
			: {
					...EMPTY_DRAFT,
					scope: page.canManage ? 'everyone' : 'personal',
				}
	);
	const [ errors, setErrors ] = useState< FieldErrors >( {} );
	const [ dialogMessages, setDialogMessages ] = useState< Message[] >( [] );
	const [ busy, setBusy ] = useState( false );
	const { saveSavedReply } = useDispatch( store );

	const change = < K extends keyof SavedReplyDraft >(
		field: K,
		value: SavedReplyDraft[ K ]
	) => {
		setDraft( ( current ) => ( { ...current, [ field ]: value } ) );
		setErrors( ( current ) => ( { ...current, [ field ]: '' } ) );
	};

	const submit = async ( event: React.FormEvent ) => {
		event.preventDefault();
		if ( busy ) {
			return;
		}
		setBusy( true );
		try {
			await saveSavedReply(
				{
					...draft,
					shortcut: draft.shortcut.replace( /^\//, '' ),
					inboxId: draft.scope === 'inbox' ? draft.inboxId : 0,
				},
				reply?.id
			);
			report( [
				{
					status: 'success',
					text: reply
						? __( 'Saved reply updated.', 'chatflows' )
						: __( 'Saved reply created.', 'chatflows' ),
				},
			] );
			onClose();
		} catch ( error ) {
			const mapped = errorsFromRestError( error );
			setErrors( mapped.fields );
			setDialogMessages( [
				{
					status: 'error',
					text:
						mapped.general ??
						__( 'Check the fields marked below.', 'chatflows' ),
				},
			] );
			setBusy( false );
		}
	};

	const field = ( name: keyof SavedReplyDraft ) => {
		const path = `saved-reply-${ name }`;
		return {
			attributes: errorAttributes( path, errors[ name ] || undefined ),
			error: (
				<FieldError
					path={ path }
					message={ errors[ name ] || undefined }
				/>
			),
		};
	};
	const scopeOptions: Array< { value: SavedReplyScope; label: string } > =
		page.canManage
			? [
					{
						value: 'everyone',
						label: __( 'Every agent', 'chatflows' ),
					},
					{
						value: 'inbox',
						label: __( 'The agents of one inbox', 'chatflows' ),
					},
					{ value: 'personal', label: __( 'Only you', 'chatflows' ) },
				]
			: [ { value: 'personal', label: __( 'Only you', 'chatflows' ) } ];

	return (
		<Modal
			title={
				reply
					? __( 'Edit saved reply', 'chatflows' )
					: __( 'Add saved reply', 'chatflows' )
			}
			onRequestClose={ onClose }
		>
			<form onSubmit={ submit } className="chatflows-saved-reply-form">
				<MessageNotices messages={ dialogMessages } />
				<TextControl
					label={ __( 'Name', 'chatflows' ) }
					help={ __( 'Only agents see it.', 'chatflows' ) }
					value={ draft.name }
					onChange={ ( value: string ) => change( 'name', value ) }
					{ ...field( 'name' ).attributes }
				/>
				{ field( 'name' ).error }
				<TextControl
					label={ __( 'Shortcut', 'chatflows' ) }
					help={ __(
						'Agents type / and the shortcut in the reply box, e.g. /thanks.',
						'chatflows'
					) }
					value={ draft.shortcut }
					onChange={ ( value: string ) =>
						change( 'shortcut', value )
					}
					{ ...field( 'shortcut' ).attributes }
				/>
				{ field( 'shortcut' ).error }
				<TextareaControl
					label={ __( 'Text', 'chatflows' ) }
					help={ sprintf(
						/* translators: %s: the variables, e.g. {visitor_name}, {site_name}. */
						__(
							'Plain text. Variables filled in when an agent inserts the reply: %s. An unknown value leaves a gap (___) for the agent to fill in.',
							'chatflows'
						),
						VARIABLES.map( ( name ) => `{${ name }}` ).join( ', ' )
					) }
					rows={ 5 }
					value={ draft.text }
					onChange={ ( value: string ) => change( 'text', value ) }
					{ ...field( 'text' ).attributes }
				/>
				{ field( 'text' ).error }
				<SelectControl
					label={ __( 'Language', 'chatflows' ) }
					help={ __(
						'Replies in the visitor’s language are offered first.',
						'chatflows'
					) }
					value={ draft.language }
					options={ [
						{ value: '', label: __( 'Any language', 'chatflows' ) },
						...textLanguageOptions(),
					] }
					onChange={ ( value: string ) =>
						change( 'language', value as SavedReplyLanguage )
					}
					{ ...field( 'language' ).attributes }
				/>
				{ field( 'language' ).error }
				<SelectControl
					label={ __( 'Used by', 'chatflows' ) }
					value={ draft.scope }
					options={ scopeOptions }
					disabled={ scopeOptions.length === 1 }
					onChange={ ( value: string ) =>
						change( 'scope', value as SavedReplyScope )
					}
					{ ...field( 'scope' ).attributes }
				/>
				{ field( 'scope' ).error }
				{ draft.scope === 'inbox' && (
					<>
						<SelectControl
							label={ __( 'Inbox', 'chatflows' ) }
							value={ String( draft.inboxId ) }
							options={ [
								{
									value: '0',
									label: __( 'Choose an inbox', 'chatflows' ),
								},
								...page.inboxes.map( ( inbox ) => ( {
									value: String( inbox.id ),
									label: inboxName( inbox ),
								} ) ),
							] }
							onChange={ ( value: string ) =>
								change( 'inboxId', Number( value ) )
							}
							{ ...field( 'inboxId' ).attributes }
						/>
						{ field( 'inboxId' ).error }
					</>
				) }
				<div className="chatflows-modal-actions">
					<Button variant="tertiary" onClick={ onClose }>
						{ __( 'Cancel', 'chatflows' ) }
					</Button>
					{ /* Not disabled while busy: a focused button that turns disabled loses the focus, and the modal closes on focus leaving it. */ }
					<Button variant="primary" type="submit" isBusy={ busy }>
						{ __( 'Save reply', 'chatflows' ) }
					</Button>
				</div>
			</form>
		</Modal>
	);
}

/**
 * The page.
 *
 * @param props      Props.
 * @param props.page What WordPress printed for it.
 */
export function SavedRepliesApp( { page }: { page: SavedRepliesPageData } ) {
	const replies = useSelect(
		( select ) => select( store ).getSavedReplies(),
		[]
	);
	const { deleteSavedReply } = useDispatch( store );
	const [ messages, setMessages ] = useState< Message[] >( [] );
	const [ editing, setEditing ] = useState< SavedReply | 'new' | null >(
		null
	);
	const [ deleting, setDeleting ] = useState< SavedReply | null >( null );

	if ( ! replies ) {
		return <Spinner />;
	}
	return (
		<div className="chatflows-saved-replies">
			<MessageNotices
				messages={ messages }
				onRemove={ () => setMessages( [] ) }
			/>
			<p>
				{ page.canManage
					? __(
							'In the inbox, agents type / in the reply box, then a shortcut or a few words, to insert a saved reply. You keep the replies shared with every agent or with one inbox; each agent keeps personal ones too.',
							'chatflows'
						)
					: __(
							'In the inbox, type / in the reply box, then a shortcut or a few words, to insert a saved reply. Your managers keep the shared ones; here you keep your own.',
							'chatflows'
						) }
			</p>
			<Button variant="secondary" onClick={ () => setEditing( 'new' ) }>
				{ __( 'Add saved reply', 'chatflows' ) }
			</Button>
			<RecordTable
				caption={ __( 'Saved replies', 'chatflows' ) }
				columns={ [
					__( 'Shortcut', 'chatflows' ),
					__( 'Name', 'chatflows' ),
					__( 'Language', 'chatflows' ),
					__( 'Used by', 'chatflows' ),
					__( 'Actions', 'chatflows' ),
				] }
				isEmpty={ replies.length === 0 }
				emptyText={ __( 'No saved replies yet.', 'chatflows' ) }
			>
				{ replies.map( ( reply ) => (
					<tr key={ reply.id }>
						<th scope="row">
							<kbd>/{ reply.shortcut }</kbd>
						</th>
						<td>{ reply.name }</td>
						<td>{ textLanguageName( reply.language ) }</td>
						<td>{ usedBy( reply, page.inboxes ) }</td>
						<td>
							{ reply.editable ? (
								<RowActions
									editLabel={ sprintf(
										/* translators: %s: saved reply's name. */
										__(
											'Edit saved reply %s',
											'chatflows'
										),
										reply.name
									) }
									deleteLabel={ sprintf(
										/* translators: %s: saved reply's name. */
										__(
											'Delete saved reply %s',
											'chatflows'
										),
										reply.name
									) }
									onEdit={ () => setEditing( reply ) }
									onDelete={ () => setDeleting( reply ) }
								/>
							) : (
								__( 'Shared by your managers', 'chatflows' )
							) }
						</td>
					</tr>
				) ) }
			</RecordTable>
			{ editing && (
				<SavedReplyDialog
					reply={ editing === 'new' ? null : editing }
					page={ page }
					onClose={ () => setEditing( null ) }
					report={ setMessages }
				/>
			) }
			{ deleting && (
				<ConfirmDeleteModal
					title={ sprintf(
						/* translators: %s: saved reply's name. */
						__( 'Delete %s?', 'chatflows' ),
						deleting.name
					) }
					confirmLabel={ __( 'Delete', 'chatflows' ) }
					onCancel={ () => setDeleting( null ) }
					onConfirm={ () => {
						const target = deleting;
						setDeleting( null );
						deleteSavedReply( target.id ).then(
							() =>
								setMessages( [
									{
										status: 'success',
										text: sprintf(
											/* translators: %s: saved reply's name. */
											__( '%s deleted.', 'chatflows' ),
											target.name
										),
									},
								] ),
							( error: unknown ) =>
								setMessages( [
									{
										status: 'error',
										text:
											errorsFromRestError( error )
												.general ??
											__(
												'That did not work.',
												'chatflows'
											),
									},
								] )
						);
					} }
				>
					<p>{ __( 'This cannot be undone.', 'chatflows' ) }</p>
				</ConfirmDeleteModal>
			) }
		</div>
	);
}
