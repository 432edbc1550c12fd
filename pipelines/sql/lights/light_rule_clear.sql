-- removes the previously applied rule set before the current one is recorded
delete from light_rule
