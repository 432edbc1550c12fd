-- text without surrounding space characters, empty text as null: the same as nullif(trim(txt), ''), but trim
-- (which copies the text) runs only when the first or last character is one of the Unicode spaces trim removes
create or replace temp macro clean(txt) as (
    case
        when txt = '' then null
        when unicode(txt) in (32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202,
                              8239, 8287, 12288)
            or unicode(right(txt, 1)) in (32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200,
                                          8201, 8202, 8239, 8287, 12288)
            then nullif(trim(txt), '')
        else txt
    end
)
