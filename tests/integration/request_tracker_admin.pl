# The set-up steps of the test's Request Tracker that its REST2 API (RT 5.0) has no endpoint
# for, done as an RT admin would in the web UI, run against the same database
# (tests/integration/request_tracker.py):
#   rights      customers may write in by mail; privileged users may work tickets
#   token NAME  prints a new REST2 auth token of the user NAME
#   cf NAME     makes a single-value text custom field of every queue's tickets; prints its id
use strict;
use warnings;
use RT;
RT::LoadConfig();
RT::Init();

sub grant {
    my ($group_name, @rights) = @_;
    my $group = RT::Group->new(RT->SystemUser);
    $group->LoadSystemInternalGroup($group_name);
    for my $right (@rights) {
        my ($ok, $msg) = $group->PrincipalObj->GrantRight(Right => $right, Object => RT->System);
        die "$group_name $right: $msg\n" unless $ok;
    }
}

my ($command, $name) = @ARGV;
$command //= '';
if ($command eq 'rights') {
    grant('Everyone', qw(CreateTicket ReplyToTicket));
    grant('Privileged', qw(SeeQueue ShowTicket ShowTicketComments CreateTicket ReplyToTicket
                           CommentOnTicket OwnTicket ModifyTicket SeeCustomField
                           ModifyCustomField));
} elsif ($command eq 'token' && $name) {
    my $user = RT::User->new(RT->SystemUser);
    $user->Load($name);
    die "no user $name\n" unless $user->id;
    my $token = RT::AuthToken->new(RT->SystemUser);
    my ($ok, $msg, $auth) = $token->Create(Owner => $user->id, Description => 'gongdan tests');
    die "token: $msg\n" unless $ok;
    print "$auth\n";
} elsif ($command eq 'cf' && $name) {
    my $cf = RT::CustomField->new(RT->SystemUser);
    my ($id, $msg) = $cf->Create(Name => $name, Type => 'FreeformSingle',
                                 LookupType => 'RT::Queue-RT::Ticket');
    die "cf: $msg\n" unless $id;
    my ($ok, $why) = $cf->AddToObject(RT::Queue->new(RT->SystemUser));  # every queue
    die "cf: $why\n" unless $ok;
    print "$id\n";
} else {
    die "usage: request_tracker_admin.pl rights | token NAME | cf NAME\n";
}
