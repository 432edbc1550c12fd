-- removes every item light before the lights of this run are written
delete from item_light
