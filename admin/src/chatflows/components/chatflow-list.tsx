/**
 * The list of chatflows in priority order: on/off, what each targets, last
 * change, and edit / duplicate / delete (with confirmation).
 */
import { Button, FormToggle, Spinner } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { errorsFromRestError } from '../form/field-errors';
import { navigate, urlOf } from '../navigation';
import { store } from '../store';
import type { Chatflow } from '../store/types';
import { serviceMessage } from './service-notice';
import { adminLocale } from '../../components/admin-locale';
import { ConfirmDeleteModal } from '../../components/confirm-delete-modal';
import { MessageNotices, type Message } from '../../components/messages';
import { PublishedNotice } from './published-notice';

/** Where a previous screen (e.g. the wizard) leaves a notice for the list. */
export const NOTICE_KEY = 'chatflows:notice';

/**
 * A cell that names its column on a phone, where the rows are blocks and the
 * header row is out of sight (see chatflows.css).
 *
 * @param props           Props.
 * @param props.label     The column's name.
 * @param props.className Classes of the cell.
 * @param props.children  What the cell holds.
 */
function LabelledCell( {
	label,
	className,
	children,
}: {
	label: string;
	className?: string;
	children: React.ReactNode;
} ) {
	return (
		<td className={ className }>
			<span className="chatflows-list__label">{ label }</span>
			{ children }
		</td>
	);
}

/**
 * A GMT ISO date in wp-admin's language.
 *
 * @param iso ISO 8601.
 */
export function formatModified( iso: string ): string {
	const date = new Date( iso );
	return Number.isNaN( date.getTime() )
		? ''
		: new Intl.DateTimeFormat( adminLocale(), {
				dateStyle: 'medium',
				timeStyle: 'short',
			} ).format( date );
}

export function ChatflowList() {
	const chatflows = useSelect(
		( select ) => select( store ).getChatflows(),
		[]
	);
	const {
		setChatflowEnabled,
		duplicateChatflow,
		deleteChatflow,
		setChatflowPriorities,
	} = useDispatch( store );
	const [ messages, setMessages ] = useState< Message[] >( [] );
	const [ deleting, setDeleting ] = useState< Chatflow | null >( null );
	const [ busy, setBusy ] = useState< number | null >( null );

	useEffect( () => {
		const left = window.sessionStorage?.getItem( NOTICE_KEY );
		if ( left ) {
			window.sessionStorage.removeItem( NOTICE_KEY );
			setMessages( [ { status: 'warning', text: left } ] );
		}
	}, [] );

	const run = async (
		id: number,
		task: () => Promise< { service?: Chatflow[ 'service' ] } | void >,
		done: string
	) => {
		setBusy( id );
		try {
			const result = await task();
			const service = serviceMessage(
				result ? result.service : undefined
			);
			setMessages( [
				{ status: 'success', text: done },
				...( service
					? [ { status: 'warning' as const, text: service } ]
					: [] ),
			] );
		} catch ( error ) {
			setMessages( [
				{
					status: 'error',
					text:
						errorsFromRestError( error ).general ??
						__( 'That did not work.', 'chatflows' ),
				},
			] );
		} finally {
			setBusy( null );
		}
	};

	if ( ! chatflows ) {
		return <Spinner />;
	}

	const move = ( index: number, by: -1 | 1 ) => {
		const order = [ ...chatflows ];
		const [ moved ] = order.splice( index, 1 );
		order.splice( index + by, 0, moved );
		run(
			moved.id,
			() => setChatflowPriorities( order ),
			__( 'Priority changed.', 'chatflows' )
		);
	};

	return (
		<div className="chatflows-list">
			<div className="chatflows-list__bar">
				<Button
					variant="primary"
					href={ urlOf( { view: 'new' } ) }
					onClick={ ( event: React.MouseEvent ) => {
						event.preventDefault();
						navigate( { view: 'new' } );
					} }
				>
					{ __( 'Create chatflow', 'chatflows' ) }
				</Button>
			</div>
			<PublishedNotice />
			<MessageNotices
				messages={ messages }
				onRemove={ ( message ) =>
					setMessages( ( current ) =>
						current.filter( ( item ) => item !== message )
					)
				}
			/>
			<p className="chatflows-list__priority-hint">
				{ __(
					'Where several chatflows could show, the first one that is on and whose rules hold serves the page. A page can also choose its chat itself.',
					'chatflows'
				) }
			</p>
			<table className="wp-list-table widefat striped chatflows-list__table">
				<caption className="screen-reader-text">
					{ __( 'Chatflows, by priority', 'chatflows' ) }
				</caption>
				<thead>
					<tr>
						<th scope="col">{ __( 'Name', 'chatflows' ) }</th>
						<th scope="col">{ __( 'On', 'chatflows' ) }</th>
						<th scope="col">{ __( 'Shows on', 'chatflows' ) }</th>
						<th scope="col">
							{ __( 'Last change', 'chatflows' ) }
						</th>
						<th scope="col">{ __( 'Priority', 'chatflows' ) }</th>
						<th scope="col">{ __( 'Actions', 'chatflows' ) }</th>
					</tr>
				</thead>
				<tbody>
					{ chatflows.map( ( chatflow, index ) => (
						<tr key={ chatflow.id }>
							<th scope="row">
								<a
									href={ urlOf( {
										view: 'edit',
										id: chatflow.id,
									} ) }
									onClick={ ( event ) => {
										event.preventDefault();
										navigate( {
											view: 'edit',
											id: chatflow.id,
										} );
									} }
								>
									{ chatflow.title }
								</a>
							</th>
							<LabelledCell label={ __( 'On', 'chatflows' ) }>
								<FormToggle
									checked={ chatflow.enabled }
									disabled={ busy === chatflow.id }
									aria-label={ sprintf(
										/* translators: %s: chatflow name. */
										__( 'Chat on: %s', 'chatflows' ),
										chatflow.title
									) }
									onChange={ () =>
										run(
											chatflow.id,
											() =>
												setChatflowEnabled(
													chatflow.id,
													! chatflow.enabled
												),
											chatflow.enabled
												? sprintf(
														/* translators: %s: chatflow name. */
														__(
															'%s is off.',
															'chatflows'
														),
														chatflow.title
													)
												: sprintf(
														/* translators: %s: chatflow name. */
														__(
															'%s is on.',
															'chatflows'
														),
														chatflow.title
													)
										)
									}
								/>
							</LabelledCell>
							<LabelledCell
								label={ __( 'Shows on', 'chatflows' ) }
							>
								{ chatflow.target }
							</LabelledCell>
							<LabelledCell
								label={ __( 'Last change', 'chatflows' ) }
							>
								{ formatModified( chatflow.modified ) }
							</LabelledCell>
							<LabelledCell
								label={ __( 'Priority', 'chatflows' ) }
							>
								<Button
									variant="tertiary"
									disabled={ index === 0 || busy !== null }
									onClick={ () => move( index, -1 ) }
									label={ sprintf(
										/* translators: %s: chatflow name. */
										__( 'Move %s up', 'chatflows' ),
										chatflow.title
									) }
									icon="arrow-up-alt2"
								/>
								<Button
									variant="tertiary"
									disabled={
										index === chatflows.length - 1 ||
										busy !== null
									}
									onClick={ () => move( index, 1 ) }
									label={ sprintf(
										/* translators: %s: chatflow name. */
										__( 'Move %s down', 'chatflows' ),
										chatflow.title
									) }
									icon="arrow-down-alt2"
								/>
							</LabelledCell>
							<LabelledCell
								className="chatflows-list__actions"
								label={ __( 'Actions', 'chatflows' ) }
							>
								<Button
									variant="link"
									href={ urlOf( {
										view: 'edit',
										id: chatflow.id,
									} ) }
									onClick={ ( event: React.MouseEvent ) => {
										event.preventDefault();
										navigate( {
											view: 'edit',
											id: chatflow.id,
										} );
									} }
									aria-label={ sprintf(
										/* translators: %s: chatflow name. */
										__( 'Edit %s', 'chatflows' ),
										chatflow.title
									) }
								>
									{ __( 'Edit', 'chatflows' ) }
								</Button>
								<Button
									variant="link"
									disabled={ busy === chatflow.id }
									onClick={ () =>
										run(
											chatflow.id,
											() =>
												duplicateChatflow(
													chatflow.id
												),
											sprintf(
												/* translators: %s: chatflow name. */
												__(
													'%s duplicated.',
													'chatflows'
												),
												chatflow.title
											)
										)
									}
									aria-label={ sprintf(
										/* translators: %s: chatflow name. */
										__( 'Duplicate %s', 'chatflows' ),
										chatflow.title
									) }
								>
									{ __( 'Duplicate', 'chatflows' ) }
								</Button>
								<Button
									variant="link"
									isDestructive
									onClick={ () => setDeleting( chatflow ) }
									aria-label={ sprintf(
										/* translators: %s: chatflow name. */
										__( 'Delete %s', 'chatflows' ),
										chatflow.title
									) }
								>
									{ __( 'Delete', 'chatflows' ) }
								</Button>
							</LabelledCell>
						</tr>
					) ) }
				</tbody>
			</table>
			{ deleting && (
				<ConfirmDeleteModal
					title={ sprintf(
						/* translators: %s: chatflow name. */
						__( 'Delete %s?', 'chatflows' ),
						deleting.title
					) }
					confirmLabel={ __( 'Delete chatflow', 'chatflows' ) }
					onCancel={ () => setDeleting( null ) }
					onConfirm={ () => {
						const target = deleting;
						setDeleting( null );
						run(
							target.id,
							() => deleteChatflow( target.id ),
							sprintf(
								/* translators: %s: chatflow name. */
								__( '%s deleted.', 'chatflows' ),
								target.title
							)
						);
					} }
				>
					<p>
						{ __(
							'Its chat disappears from every page it shows on. This cannot be undone.',
							'chatflows'
						) }
					</p>
				</ConfirmDeleteModal>
			) }
		</div>
	);
}
