/**
 * Teams (a name and members among agents), agents' capacity, and inboxes
 * (each with its agents and teams).
 */
import { Button, Modal, Spinner } from '@wordpress/components';
import { TextControl } from '@chatflows/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	errorAttributes,
	FieldError,
} from '../../chatflows/components/form-context';
import { serviceMessage } from '../../chatflows/components/service-notice';
import {
	errorsFromRestError,
	errorsUnder,
	type FieldErrors,
} from '../../chatflows/form/field-errors';
import { store } from '../../chatflows/store';
import type { Agent, Inbox, Team } from '../../chatflows/store/types';
import { ConfirmDeleteModal } from '../../components/confirm-delete-modal';
import { IdCheckboxes } from '../../components/id-checkboxes';
import { RecordTable, RowActions } from '../../components/record-table';
import { MessageNotices, type Message } from '../../components/messages';
import { inboxName } from '../../components/inbox-name';

type Report = ( messages: Message[] ) => void;

/**
 * Runs a write and reports its outcome; field errors go to the form.
 *
 * @param task      The write.
 * @param done      What to say when it worked.
 * @param report    Shows messages.
 * @param setErrors Shows field errors.
 * @return Whether it worked.
 */
async function write(
	task: () => Promise< { service?: Agent[ 'service' ] } | void >,
	done: string,
	report: Report,
	setErrors: ( errors: FieldErrors ) => void = () => undefined
): Promise< boolean > {
	try {
		const result = await task();
		const service = serviceMessage( result ? result.service : undefined );
		setErrors( {} );
		report( [
			{ status: 'success', text: done },
			...( service
				? [ { status: 'warning' as const, text: service } ]
				: [] ),
		] );
		return true;
	} catch ( error ) {
		const mapped = errorsFromRestError( error );
		setErrors( mapped.fields );
		report( [
			{
				status: 'error',
				text: mapped.general ?? __( 'That did not work.', 'chatflows' ),
			},
		] );
		return false;
	}
}

/**
 * The joined field errors under a path, or undefined when there are none
 * (the shape IdCheckboxes and FieldError expect).
 *
 * @param errors Field errors.
 * @param path   Path of the field, e.g. "memberIds".
 * @return The errors, joined, if any.
 */
function errorUnder( errors: FieldErrors, path: string ): string | undefined {
	return errorsUnder( errors, path ).join( ' ' ) || undefined;
}

/**
 * The dialog shared by teams and inboxes: both are a required name plus
 * choices, saved through `write`. Errors stay in the dialog (so the person
 * can fix them); a success closes it and is reported on the page.
 *
 * @param props             Props.
 * @param props.title       Dialog title.
 * @param props.nameLabel   Label of the name field.
 * @param props.nameId      DOM id prefix of the name field's error.
 * @param props.initialName The name to start from.
 * @param props.nameMissing What to say when the name is left empty.
 * @param props.saveLabel   Label of the submit button.
 * @param props.saved       What to say once saved.
 * @param props.save        Saves with the given name.
 * @param props.onClose     Closes the dialog.
 * @param props.report      Shows messages on the page.
 * @param props.children    The choices, given the field errors.
 */
function NamedRecordDialog( {
	title,
	nameLabel,
	nameId,
	initialName,
	nameMissing,
	saveLabel,
	saved,
	save,
	onClose,
	report,
	children,
}: {
	title: string;
	nameLabel: string;
	nameId: string;
	initialName: string;
	nameMissing: string;
	saveLabel: string;
	saved: string;
	save: (
		name: string
	) => Promise< { service?: Agent[ 'service' ] } | void >;
	onClose: () => void;
	report: Report;
	children: ( errors: FieldErrors ) => React.ReactNode;
} ) {
	const [ name, setName ] = useState( initialName );
	const [ errors, setErrors ] = useState< FieldErrors >( {} );
	const [ dialogMessages, setDialogMessages ] = useState< Message[] >( [] );

	const submit = async ( event: React.FormEvent ) => {
		event.preventDefault();
		if ( ! name.trim() ) {
			setErrors( { name: nameMissing } );
			return;
		}
		const ok = await write(
			() => save( name ),
			saved,
			( messages ) =>
				messages[ 0 ]?.status === 'error'
					? setDialogMessages( messages )
					: report( messages ),
			setErrors
		);
		if ( ok ) {
			onClose();
		}
	};

	return (
		<Modal title={ title } onRequestClose={ onClose }>
			<form onSubmit={ submit }>
				<MessageNotices messages={ dialogMessages } />
				<TextControl
					label={ nameLabel }
					value={ name }
					onChange={ ( value: string ) => {
						setName( value );
						setErrors( ( current ) => ( {
							...current,
							name: '',
						} ) );
					} }
					{ ...errorAttributes( nameId, errors.name || undefined ) }
				/>
				<FieldError
					path={ nameId }
					message={ errors.name || undefined }
				/>
				{ children( errors ) }
				<div className="chatflows-modal-actions">
					<Button variant="tertiary" onClick={ onClose }>
						{ __( 'Cancel', 'chatflows' ) }
					</Button>
					<Button variant="primary" type="submit">
						{ saveLabel }
					</Button>
				</div>
			</form>
		</Modal>
	);
}

/**
 * Creates or edits a team in a dialog.
 *
 * @param props         Props.
 * @param props.team    The team, or null for a new one.
 * @param props.agents  Agents who can be members.
 * @param props.onClose Closes the dialog.
 * @param props.report  Shows messages on the page.
 */
function TeamDialog( {
	team,
	agents,
	onClose,
	report,
}: {
	team: Team | null;
	agents: Agent[];
	onClose: () => void;
	report: Report;
} ) {
	const [ memberIds, setMemberIds ] = useState( team?.memberIds ?? [] );
	const { saveTeam } = useDispatch( store );

	return (
		<NamedRecordDialog
			title={
				team
					? __( 'Edit team', 'chatflows' )
					: __( 'Add team', 'chatflows' )
			}
			nameLabel={ __( 'Team name', 'chatflows' ) }
			nameId="team-name"
			initialName={ team?.name ?? '' }
			nameMissing={ __( 'Give the team a name.', 'chatflows' ) }
			saveLabel={ __( 'Save team', 'chatflows' ) }
			saved={
				team
					? __( 'Team saved.', 'chatflows' )
					: __( 'Team created.', 'chatflows' )
			}
			save={ ( name ) => saveTeam( { id: team?.id, name, memberIds } ) }
			onClose={ onClose }
			report={ report }
		>
			{ ( errors ) => (
				<IdCheckboxes
					legend={ __( 'Members', 'chatflows' ) }
					choices={ agents }
					chosen={ memberIds }
					onChange={ setMemberIds }
					error={ errorUnder( errors, 'memberIds' ) }
					errorId="team-members"
				/>
			) }
		</NamedRecordDialog>
	);
}

/**
 * An agent's row with their capacity.
 *
 * @param props        Props.
 * @param props.agent  Agent.
 * @param props.teams  Teams, for names.
 * @param props.report Shows messages on the page.
 */
function AgentRow( {
	agent,
	teams,
	report,
}: {
	agent: Agent;
	teams: Team[];
	report: Report;
} ) {
	const [ capacity, setCapacity ] = useState( String( agent.capacity ) );
	const [ errors, setErrors ] = useState< FieldErrors >( {} );
	const { saveAgentCapacity } = useDispatch( store );
	const value = Number( capacity );
	const localError =
		Number.isInteger( value ) && value >= 1 && value <= 100
			? undefined
			: __( 'Enter a whole number from 1 to 100.', 'chatflows' );
	const error = localError ?? errors.capacity;
	const errorPath = `agent-${ agent.id }-capacity`;
	return (
		<tr>
			<th scope="row">{ agent.name }</th>
			<td>
				{ teams
					.filter( ( team ) => agent.teamIds.includes( team.id ) )
					.map( ( team ) => team.name )
					.join( ', ' ) || '—' }
			</td>
			<td>
				<form
					className="chatflows-capacity"
					onSubmit={ ( event ) => {
						event.preventDefault();
						if ( ! localError ) {
							write(
								() => saveAgentCapacity( agent.id, value ),
								sprintf(
									/* translators: %s: agent's name. */
									__( 'Capacity of %s saved.', 'chatflows' ),
									agent.name
								),
								report,
								setErrors
							);
						}
					} }
				>
					<TextControl
						type="number"
						min={ 1 }
						max={ 100 }
						label={ sprintf(
							/* translators: %s: agent's name. */
							__( 'Capacity of %s', 'chatflows' ),
							agent.name
						) }
						value={ capacity }
						onChange={ ( next: string ) => {
							setCapacity( next );
							setErrors( {} );
						} }
						{ ...errorAttributes( errorPath, error ) }
					/>
					<FieldError path={ errorPath } message={ error } />
					<Button
						variant="secondary"
						type="submit"
						disabled={
							Boolean( localError ) || value === agent.capacity
						}
						label={ sprintf(
							/* translators: %s: agent's name. */
							__( 'Save capacity of %s', 'chatflows' ),
							agent.name
						) }
					>
						{ __( 'Save', 'chatflows' ) }
					</Button>
				</form>
			</td>
		</tr>
	);
}

/**
 * Creates or edits an inbox in a dialog.
 *
 * @param props         Props.
 * @param props.inbox   The inbox, or null for a new one.
 * @param props.agents  Agents.
 * @param props.teams   Teams.
 * @param props.onClose Closes the dialog.
 * @param props.report  Shows messages on the page.
 */
function InboxDialog( {
	inbox,
	agents,
	teams,
	onClose,
	report,
}: {
	inbox: Inbox | null;
	agents: Agent[];
	teams: Team[];
	onClose: () => void;
	report: Report;
} ) {
	const [ agentIds, setAgentIds ] = useState( inbox?.agentIds ?? [] );
	const [ teamIds, setTeamIds ] = useState( inbox?.teamIds ?? [] );
	const { saveInbox } = useDispatch( store );

	return (
		<NamedRecordDialog
			title={
				inbox
					? __( 'Edit inbox', 'chatflows' )
					: __( 'Add inbox', 'chatflows' )
			}
			nameLabel={ __( 'Inbox name', 'chatflows' ) }
			nameId="inbox-name"
			initialName={ inbox?.name ?? '' }
			nameMissing={ __( 'Give the inbox a name.', 'chatflows' ) }
			saveLabel={ __( 'Save inbox', 'chatflows' ) }
			saved={
				inbox
					? __( 'Inbox saved.', 'chatflows' )
					: __( 'Inbox created.', 'chatflows' )
			}
			save={ ( name ) =>
				saveInbox( { id: inbox?.id, name, agentIds, teamIds } )
			}
			onClose={ onClose }
			report={ report }
		>
			{ ( errors ) => (
				<>
					<IdCheckboxes
						legend={ __( 'Agents', 'chatflows' ) }
						choices={ agents }
						chosen={ agentIds }
						onChange={ setAgentIds }
						error={ errorUnder( errors, 'agentIds' ) }
						errorId="inbox-agents"
					/>
					<IdCheckboxes
						legend={ __( 'Teams', 'chatflows' ) }
						choices={ teams }
						chosen={ teamIds }
						onChange={ setTeamIds }
						error={ errorUnder( errors, 'teamIds' ) }
						errorId="inbox-teams"
					/>
				</>
			) }
		</NamedRecordDialog>
	);
}

export function TeamsApp() {
	const { teams, agents, inboxes } = useSelect(
		( select ) => ( {
			teams: select( store ).getTeams(),
			agents: select( store ).getAgents(),
			inboxes: select( store ).getInboxes(),
		} ),
		[]
	);
	const { deleteTeam, deleteInbox } = useDispatch( store );
	const [ messages, setMessages ] = useState< Message[] >( [] );
	const [ editingTeam, setEditingTeam ] = useState< Team | null | 'new' >(
		null
	);
	const [ editingInbox, setEditingInbox ] = useState< Inbox | null | 'new' >(
		null
	);
	const [ deleting, setDeleting ] = useState<
		{ kind: 'team'; record: Team } | { kind: 'inbox'; record: Inbox } | null
	>( null );

	if ( ! teams || ! agents || ! inboxes ) {
		return <Spinner />;
	}
	const names = (
		ids: number[],
		records: Array< { id: number; name: string } >
	) =>
		records
			.filter( ( record ) => ids.includes( record.id ) )
			.map( ( record ) => record.name )
			.join( ', ' ) || '—';

	return (
		<div className="chatflows-teams">
			<MessageNotices
				messages={ messages }
				onRemove={ () => setMessages( [] ) }
			/>

			<h2>{ __( 'Teams', 'chatflows' ) }</h2>
			<Button
				variant="secondary"
				onClick={ () => setEditingTeam( 'new' ) }
			>
				{ __( 'Add team', 'chatflows' ) }
			</Button>
			<RecordTable
				caption={ __( 'Teams', 'chatflows' ) }
				columns={ [
					__( 'Team', 'chatflows' ),
					__( 'Members', 'chatflows' ),
					__( 'Actions', 'chatflows' ),
				] }
				isEmpty={ teams.length === 0 }
				emptyText={ __( 'No teams yet.', 'chatflows' ) }
			>
				{ teams.map( ( team ) => (
					<tr key={ team.id }>
						<th scope="row">{ team.name }</th>
						<td>{ names( team.memberIds, agents ) }</td>
						<td>
							<RowActions
								editLabel={ sprintf(
									/* translators: %s: team name. */
									__( 'Edit team %s', 'chatflows' ),
									team.name
								) }
								deleteLabel={ sprintf(
									/* translators: %s: team name. */
									__( 'Delete team %s', 'chatflows' ),
									team.name
								) }
								onEdit={ () => setEditingTeam( team ) }
								onDelete={ () =>
									setDeleting( {
										kind: 'team',
										record: team,
									} )
								}
							/>
						</td>
					</tr>
				) ) }
			</RecordTable>

			<h2>{ __( 'Agents', 'chatflows' ) }</h2>
			<p>
				{ __(
					'Capacity: the most open conversations an agent takes at once.',
					'chatflows'
				) }
			</p>
			<RecordTable
				caption={ __( 'Agents', 'chatflows' ) }
				columns={ [
					__( 'Agent', 'chatflows' ),
					__( 'Teams', 'chatflows' ),
					__( 'Capacity', 'chatflows' ),
				] }
			>
				{ agents.map( ( agent ) => (
					<AgentRow
						key={ `${ agent.id }-${ agent.capacity }` }
						agent={ agent }
						teams={ teams }
						report={ setMessages }
					/>
				) ) }
			</RecordTable>

			<h2>{ __( 'Inboxes', 'chatflows' ) }</h2>
			<Button
				variant="secondary"
				onClick={ () => setEditingInbox( 'new' ) }
			>
				{ __( 'Add inbox', 'chatflows' ) }
			</Button>
			<RecordTable
				caption={ __( 'Inboxes', 'chatflows' ) }
				columns={ [
					__( 'Inbox', 'chatflows' ),
					__( 'Agents', 'chatflows' ),
					__( 'Teams', 'chatflows' ),
					__( 'Actions', 'chatflows' ),
				] }
			>
				{ inboxes.map( ( inbox ) => (
					<tr key={ inbox.id }>
						<th scope="row">
							{ inboxName( inbox ) }
							{ inbox.isDefault &&
								inboxName( inbox ) !==
									__( 'Default inbox', 'chatflows' ) &&
								` (${ __( 'default', 'chatflows' ) })` }
						</th>
						<td>{ names( inbox.agentIds, agents ) }</td>
						<td>{ names( inbox.teamIds, teams ) }</td>
						<td>
							<RowActions
								editLabel={ sprintf(
									/* translators: %s: inbox name. */
									__( 'Edit inbox %s', 'chatflows' ),
									inbox.name
								) }
								deleteLabel={ sprintf(
									/* translators: %s: inbox name. */
									__( 'Delete inbox %s', 'chatflows' ),
									inbox.name
								) }
								onEdit={ () => setEditingInbox( inbox ) }
								onDelete={
									inbox.isDefault
										? undefined
										: () =>
												setDeleting( {
													kind: 'inbox',
													record: inbox,
												} )
								}
							/>
						</td>
					</tr>
				) ) }
			</RecordTable>

			{ editingTeam && (
				<TeamDialog
					team={ editingTeam === 'new' ? null : editingTeam }
					agents={ agents }
					onClose={ () => setEditingTeam( null ) }
					report={ setMessages }
				/>
			) }
			{ editingInbox && (
				<InboxDialog
					inbox={ editingInbox === 'new' ? null : editingInbox }
					agents={ agents }
					teams={ teams }
					onClose={ () => setEditingInbox( null ) }
					report={ setMessages }
				/>
			) }
			{ deleting && (
				<ConfirmDeleteModal
					title={ sprintf(
						/* translators: %s: team or inbox name. */
						__( 'Delete %s?', 'chatflows' ),
						deleting.record.name
					) }
					confirmLabel={ __( 'Delete', 'chatflows' ) }
					onCancel={ () => setDeleting( null ) }
					onConfirm={ () => {
						const target = deleting;
						setDeleting( null );
						write(
							() =>
								target.kind === 'team'
									? deleteTeam( target.record.id )
									: deleteInbox( target.record.id ),
							sprintf(
								/* translators: %s: team or inbox name. */
								__( '%s deleted.', 'chatflows' ),
								target.record.name
							),
							setMessages
						);
					} }
				>
					<p>{ __( 'This cannot be undone.', 'chatflows' ) }</p>
				</ConfirmDeleteModal>
			) }
		</div>
	);
}
