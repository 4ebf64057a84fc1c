/** The real service, started by its CLI (`npm run service -- --demo`) on a fresh data directory. */
export interface RealService {
    url: string;
    fingerprint: string;
    /** The demo security officer's sign-in, from the ready line. */
    demo: {
        email: string;
        password: string;
        totpSecret: string;
    };
    /** The officer's current authenticator code (each is accepted once per 30-second step). */
    code(): Promise<string>;
    close(): Promise<void>;
}
export declare function startRealService(): Promise<RealService>;
