import {
	agentAsk,
	visitorAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	expectConnectError,
	flushAgent,
	nextEvent,
	openAgent,
	record,
	signAgentToken,
	startService,
} from './helpers';
import type { ChatMessage, ConversationSummary } from '@chatflows/protocol';

afterEach( cleanup );

describe( 'agents', () => {
	it( 'list, read and answer a visitor’s conversation', async () => {
		const service = await startService();
		const visitor = await connectVisitor( service );
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'Need help',
		} );
		if ( ! sent.ok ) {
			throw new Error( 'send failed' );
		}
		const conversationId = sent.data.message.conversationId;

		const agent = await connectAgent( service );
		const list = await agentAsk( agent, 'inbox:list', {} );
		expect( list ).toEqual( {
			ok: true,
			data: {
				conversations: [
					// Assignment (assigneeId, teamId) is covered in routing.test.ts.
					expect.objectContaining( {
						id: conversationId,
						chatflowId: 'support',
						status: 'open',
						createdAt: expect.any( String ),
						updatedAt: expect.any( String ),
						visitorId: visitor.session.visitorId,
						pageUrl: 'http://localhost:8888/pricing/',
						lastMessage: sent.data.message,
						unreadCount: 1,
					} ),
				],
				// Views and their counts are covered in inbox-service.test.ts.
				counts: expect.objectContaining( { open: 1, closed: 0 } ),
			},
		} );

		const messages = await agentAsk( agent, 'conversation:messages', {
			conversationId,
		} );
		expect( messages ).toEqual( {
			ok: true,
			data: { messages: [ sent.data.message ] },
		} );

		const reply = nextEvent< ChatMessage >( visitor.socket, 'message:new' );
		const answered = await agentAsk( agent, 'message:send', {
			conversationId,
			clientId: 'a1',
			body: 'Happy to help',
		} );
		expect( answered ).toEqual( {
			ok: true,
			data: {
				message: {
					conversationId,
					seq: 2,
					clientId: 'a1',
					authorType: 'agent',
					authorName: 'Alice Agent',
					body: 'Happy to help',
					createdAt: expect.any( String ),
				},
			},
		} );
		expect( await reply ).toEqual( answered.ok && answered.data.message );

		const after = await agentAsk( agent, 'conversation:messages', {
			conversationId,
			afterSeq: 1,
		} );
		expect( after.ok && after.data.messages.map( ( m ) => m.seq ) ).toEqual(
			[ 2 ]
		);
	} );

	it( 'receive visitor messages and conversation updates live', async () => {
		const service = await startService();
		const agent = await connectAgent( service );
		const otherAgent = await connectAgent( service );
		const visitor = await connectVisitor( service );

		const message = nextEvent< ChatMessage >( agent, 'message:new' );
		const updated = nextEvent< ConversationSummary >(
			agent,
			'conversation:updated'
		);
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'Anyone?',
		} );
		if ( ! sent.ok ) {
			throw new Error( 'send failed' );
		}
		expect( await message ).toEqual( sent.data.message );
		expect( await updated ).toMatchObject( {
			id: sent.data.message.conversationId,
			visitorId: visitor.session.visitorId,
			lastMessage: sent.data.message,
		} );

		// A reply reaches the other agents, and updates every inbox; the
		// sender has its message in the acknowledgement. (First the
		// assignment of the new conversation settles: it is announced too.)
		await service.app.domain.assignment.rebalance();
		await flushAgent( agent );
		await flushAgent( otherAgent );
		const senderMessages = record< ChatMessage >( agent, 'message:new' );
		const senderUpdates = record< ConversationSummary >(
			agent,
			'conversation:updated'
		);
		const otherMessage = nextEvent< ChatMessage >(
			otherAgent,
			'message:new'
		);
		const answered = await agentAsk( agent, 'message:send', {
			conversationId: sent.data.message.conversationId,
			clientId: 'a1',
			body: 'Yes',
		} );
		expect( ( await otherMessage ).seq ).toBe( 2 );
		await flushAgent( agent );
		expect( senderMessages ).toEqual( [] );
		expect( senderUpdates ).toHaveLength( 1 );
		expect( senderUpdates[ 0 ].lastMessage ).toEqual(
			answered.ok && answered.data.message
		);
	} );

	it( 'get not_found for an unknown conversation', async () => {
		const service = await startService();
		const agent = await connectAgent( service );
		const read = await agentAsk( agent, 'conversation:messages', {
			conversationId: 'nope',
		} );
		expect( read.ok ).toBe( false );
		expect( ! read.ok && read.error.code ).toBe( 'not_found' );
		const send = await agentAsk( agent, 'message:send', {
			conversationId: 'nope',
			clientId: 'a1',
			body: 'hello',
		} );
		expect( ! send.ok && send.error.code ).toBe( 'not_found' );
	} );

	it( 'cannot take over a visitor’s client id', async () => {
		const service = await startService();
		const visitor = await connectVisitor( service );
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'shared',
			body: 'mine',
		} );
		const agent = await connectAgent( service );
		const reply = await agentAsk( agent, 'message:send', {
			conversationId: sent.ok ? sent.data.message.conversationId : '',
			clientId: 'shared',
			body: 'theirs',
		} );
		expect( ! reply.ok && reply.error.code ).toBe( 'invalid_payload' );
	} );
} );

describe( 'agent tokens', () => {
	it.each( [
		[ 'missing', async () => ( {} ) ],
		[ 'empty', async () => ( { token: '' } ) ],
	] )( 'refuses a %s token with token_missing', async ( _label, auth ) => {
		const service = await startService();
		const error = await expectConnectError(
			openAgent( service, await auth() )
		);
		expect( error.data ).toEqual( { code: 'token_missing' } );
		expect( error.message ).toMatch( /token/ );
	} );

	it.each( [
		[
			'forged with another secret',
			() =>
				signAgentToken( {
					secret: 'another-secret-another-secret-another-secret',
				} ),
			'token_invalid',
		],
		[ 'malformed', async () => 'not.a.jwt', 'token_invalid' ],
		[
			'for another audience',
			() => signAgentToken( { audience: 'someone-else' } ),
			'token_invalid',
		],
		[
			'expired',
			() => signAgentToken( { expiresIn: -60 } ),
			'token_expired',
		],
		[
			'lacking chatflows_answer',
			() =>
				signAgentToken( { claims: { caps: [ 'chatflows_manage' ] } } ),
			'forbidden',
		],
		[
			'without caps',
			() => signAgentToken( { claims: { caps: undefined } } ),
			'forbidden',
		],
	] )( 'refuses a token %s', async ( _label, makeToken, code ) => {
		const service = await startService();
		const error = await expectConnectError(
			openAgent( service, { token: await makeToken() } )
		);
		expect( error.data ).toEqual( { code } );
		expect( error.message.length ).toBeGreaterThan( 10 );
	} );

	it( 'refuses an unsigned (alg none) token', async () => {
		const service = await startService();
		const encode = ( value: object ) =>
			Buffer.from( JSON.stringify( value ) ).toString( 'base64url' );
		const now = Math.floor( Date.now() / 1000 );
		const token = `${ encode( { alg: 'none', typ: 'JWT' } ) }.${ encode( {
			aud: 'chatflows-service',
			sub: '1',
			caps: [ 'chatflows_answer' ],
			exp: now + 60,
		} ) }.`;
		const error = await expectConnectError(
			openAgent( service, { token } )
		);
		expect( error.data ).toEqual( { code: 'token_invalid' } );
	} );

	it( 'tolerates a few seconds of clock difference', async () => {
		const service = await startService();
		const agent = await connectAgent(
			service,
			await signAgentToken( { expiresIn: -2 } )
		);
		expect( agent.connected ).toBe( true );
	} );
} );
