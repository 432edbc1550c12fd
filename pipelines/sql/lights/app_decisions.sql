-- one row per exemption or upheld appeal in the app database (SQLite), as the dashboard recorded it
select decision_id, kind, item_id, decision_type, reason_code, note, decided_by, decided_at, revoked_at, revoked_by
from decision
