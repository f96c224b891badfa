# The web tier's group admits HTTPS from the private network only.
group=$(aws ec2 create-security-group --group-name prod-web --description "web tier" \
  --query GroupId --output text)
aws ec2 authorize-security-group-ingress --group-id "$group" \
  --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.0.0.0/8}]' >/dev/null
