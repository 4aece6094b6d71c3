/**
 * The bare socket.io relay the benchmark compares the service with: the same
 * namespaces and events, no authentication, no storage, no routing. A message
 * is numbered in memory, acknowledged and passed to the agents namespace.
 *
 * Prints one JSON line `{"msg":"listening","port":…}` like the service.
 */
import http from 'node:http';
import { Server } from 'socket.io';

const port = Number( process.env.CHATFLOWS_PORT ?? 0 );
const httpServer = http.createServer( ( _req, res ) => {
	res.writeHead( 404 ).end();
} );
const io = new Server( httpServer, {
	serveClient: false,
	maxHttpBufferSize: 64 * 1024,
	cors: { origin: true },
} );
const agents = io.of( '/agent' );
const seqs = new Map();

io.of( '/visitor' ).on( 'connection', ( socket ) => {
	socket.emit( 'session', { visitorId: socket.id, token: socket.id } );
	socket.on( 'message:send', ( payload, ack ) => {
		if ( typeof ack !== 'function' ) {
			return;
		}
		const seq = ( seqs.get( socket.id ) ?? 0 ) + 1;
		seqs.set( socket.id, seq );
		const message = {
			conversationId: socket.id,
			seq,
			clientId: String( payload?.clientId ?? '' ),
			authorType: 'visitor',
			authorName: '',
			body: String( payload?.body ?? '' ),
			createdAt: new Date().toISOString(),
		};
		ack( { ok: true, data: { message } } );
		agents.emit( 'message:new', message );
	} );
	socket.on( 'disconnect', () => seqs.delete( socket.id ) );
} );

httpServer.listen( port, '127.0.0.1', () => {
	process.stdout.write(
		JSON.stringify( {
			msg: 'listening',
			port: httpServer.address().port,
		} ) + '\n'
	);
} );

process.on( 'SIGTERM', () => {
	io.close( () => process.exit( 0 ) );
} );
