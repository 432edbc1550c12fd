-- one row per exemption or upheld appeal recorded in the app database
insert into user_decision
select
    decision_id, kind, item_id, decision_type, reason_code, note, decided_by,
    try_cast(decided_at as timestamptz) as decided_at,
    try_cast(revoked_at as timestamptz) as revoked_at,
    revoked_by
from app_decisions
