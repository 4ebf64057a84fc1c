-- The Sessions view pages newest start first (created_at DESC, id DESC): this
-- index lets a page stop after its rows instead of sorting a tenant's every session.
CREATE INDEX sessions_created_id ON sessions (created_at, id);
