"""Database guards of the resources app, used by its migration.

Requests' steps, stock movements, requisitions, compensations and accountability decisions are
append-only (emergency.audit.db). A balance (a batch's and its stock's quantity) changes only when a
movement is inserted: the movement's trigger applies it, and a guard refuses any other change of a
quantity (a direct UPDATE runs at trigger depth 1, the movement's at depth 2). The CHECK constraints
on the balances refuse an overdraw even where a caller forgot its lock."""
from django.db import migrations

from emergency.audit.db import append_only

APPEND_ONLY = ("resources_requeststep", "resources_stockmovement", "resources_requisition",
               "resources_compensation", "resources_sanction")

APPLY_MOVEMENT = """
CREATE OR REPLACE FUNCTION resources_apply_movement() RETURNS trigger AS $$
BEGIN
    UPDATE resources_batch SET quantity = quantity + NEW.change WHERE id = NEW.batch_id;
    UPDATE resources_stock SET quantity = quantity + NEW.change WHERE id = NEW.stock_id;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER resources_stockmovement_applies AFTER INSERT ON resources_stockmovement
    FOR EACH ROW EXECUTE FUNCTION resources_apply_movement();

CREATE OR REPLACE FUNCTION resources_guard_balance() RETURNS trigger AS $$
BEGIN
    IF pg_trigger_depth() < 2 AND (
        (TG_OP = 'INSERT' AND NEW.quantity <> 0) OR (TG_OP = 'UPDATE' AND NEW.quantity <> OLD.quantity)) THEN
        RAISE EXCEPTION 'stock moves only through stock movements: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER resources_batch_balance BEFORE INSERT OR UPDATE ON resources_batch
    FOR EACH ROW EXECUTE FUNCTION resources_guard_balance();
CREATE TRIGGER resources_stock_balance BEFORE INSERT OR UPDATE ON resources_stock
    FOR EACH ROW EXECUTE FUNCTION resources_guard_balance();
"""

UNDO_MOVEMENT = """
DROP TRIGGER IF EXISTS resources_stockmovement_applies ON resources_stockmovement;
DROP TRIGGER IF EXISTS resources_batch_balance ON resources_batch;
DROP TRIGGER IF EXISTS resources_stock_balance ON resources_stock;
DROP FUNCTION IF EXISTS resources_apply_movement();
DROP FUNCTION IF EXISTS resources_guard_balance();
"""

OPERATIONS = [*(append_only(table) for table in APPEND_ONLY),
              migrations.RunSQL(APPLY_MOVEMENT, UNDO_MOVEMENT)]
